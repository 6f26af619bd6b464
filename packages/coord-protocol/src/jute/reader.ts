import { JuteError } from './jute-error.js';

const TWO_32 = 4294967296;

/** Big-endian loads by hand, after the bounds check: Buffer's read methods check again. */
function int32At(buf: Buffer, at: number): number {
  return (buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!;
}

/**
 * The ids read last, by their two halves: a server reads the same few session ids over and
 * over (every request's and txn's header), and making a BigInt of 8 bytes allocates.
 */
const ID_CACHE = 8;
const idHi = new Int32Array(ID_CACHE);
const idLo = new Int32Array(ID_CACHE);
const idValues: bigint[] = new Array<bigint>(ID_CACHE).fill(0n);
let nextIdSlot = 0;

/**
 * Reads jute primitives from one frame. Every read is bounds-checked against `end`, so a
 * malformed record can never read into the next frame or past the buffer.
 */
export class JuteReader {
  offset: number;
  readonly end: number;
  constructor(readonly buf: Buffer, offset = 0, end = buf.length) {
    if (offset < 0 || end > buf.length || offset > end) throw new JuteError(`bad frame bounds ${offset}..${end}`);
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, what: string): void {
    if (this.end - this.offset < n) {
      throw new JuteError(`truncated ${what}: need ${n} bytes at offset ${this.offset}, have ${this.end - this.offset}`);
    }
  }

  int(): number {
    this.need(4, 'int');
    const v = int32At(this.buf, this.offset);
    this.offset += 4;
    return v;
  }

  /** A 64-bit long as a number; used for zxids and times, which stay far below 2^53. */
  long(): number {
    this.need(8, 'long');
    const hi = int32At(this.buf, this.offset);
    const lo = int32At(this.buf, this.offset + 4) >>> 0;
    this.offset += 8;
    return hi * TWO_32 + lo;
  }

  /** A 64-bit long kept exact; used for session ids and ephemeral owners (high byte = server id). */
  id(): bigint {
    this.need(8, 'long');
    const hi = int32At(this.buf, this.offset);
    const lo = int32At(this.buf, this.offset + 4);
    for (let i = 0; i < ID_CACHE; i++) {
      if (idLo[i] === lo && idHi[i] === hi) {
        this.offset += 8;
        return idValues[i]!;
      }
    }
    const v = this.buf.readBigInt64BE(this.offset);
    const slot = nextIdSlot;
    nextIdSlot = (slot + 1) % ID_CACHE;
    idHi[slot] = hi;
    idLo[slot] = lo;
    idValues[slot] = v;
    this.offset += 8;
    return v;
  }

  bool(): boolean {
    this.need(1, 'boolean');
    return this.buf[this.offset++] !== 0;
  }

  /** A length-prefixed byte buffer; length -1 is jute's null. Returns a copy, never a view. */
  buffer(): Buffer | null {
    const len = this.int();
    if (len === -1) return null;
    if (len < -1) throw new JuteError(`negative buffer length ${len}`);
    this.need(len, 'buffer');
    const out = Buffer.allocUnsafe(len);
    this.buf.copy(out, 0, this.offset, this.offset + len);
    this.offset += len;
    return out;
  }

  /**
   * A UTF-8 string as a peer sent it: length -1 is jute's null, as ZooKeeper's readString
   * returns it (kazoo writes every empty string that way). Other negative lengths are malformed.
   */
  ustringOrNull(): string | null {
    const len = this.int();
    if (len === -1) return null;
    if (len < -1) throw new JuteError(`negative string length ${len}`);
    this.need(len, 'string');
    const s = this.buf.toString('utf8', this.offset, this.offset + len);
    this.offset += len;
    return s;
  }

  /**
   * A UTF-8 string where null carries no meaning for the reader: our own files never write it,
   * and the only reply field ZooKeeper sends it in (sync's path) is one clients do not read.
   */
  ustring(): string {
    return this.ustringOrNull() ?? '';
  }

  /** A vector length; -1 is jute's null. Bounded by the bytes left, since no element is empty. */
  vectorLengthOrNull(minElementSize: number): number | null {
    const n = this.int();
    if (n === -1) return null;
    if (n < -1 || n * minElementSize > this.end - this.offset) {
      throw new JuteError(`bad vector length ${n} with ${this.end - this.offset} bytes left`);
    }
    return n;
  }

  /** A vector length where a null vector reads as an empty one. */
  vectorLength(minElementSize: number): number {
    return this.vectorLengthOrNull(minElementSize) ?? 0;
  }
}
