const TWO_32 = 4294967296;
const INITIAL = 4096;
/** Hard ceiling on one encoded frame; far above jute.maxbuffer so only a bug can reach it. */
const MAX_FRAME = 256 * 1024 * 1024;

/** Strings up to this long are tried as ASCII by hand (see JuteWriter.ustring). */
const ASCII_BY_HAND = 128;

/**
 * Writes `s` at buf[at] a byte per character if it is all ASCII: its length, or -1 at the first
 * other character (the bytes before it written). For short strings this beats the UTF-8 encoder.
 */
export function asciiInto(buf: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    buf[at + i] = c;
  }
  return s.length;
}

/**
 * Big-endian stores by hand, for callers that checked the room already: Buffer's write
 * methods validate their arguments on every call, which costs several times the store.
 * `v` is taken as a 32-bit int (its low 32 bits).
 */
export function putInt32BE(buf: Uint8Array, at: number, v: number): void {
  buf[at] = v >>> 24;
  buf[at + 1] = v >>> 16;
  buf[at + 2] = v >>> 8;
  buf[at + 3] = v;
}

/** A safe integer as jute's 64-bit long (two's complement for negatives), by hand as putInt32BE. */
export function putLongBE(buf: Uint8Array, at: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  putInt32BE(buf, at, hi | 0);
  putInt32BE(buf, at + 4, (v - hi * TWO_32) >>> 0);
}

/**
 * The 8 bytes of the ids written last: a server writes the same few session ids over and over
 * (each request's and txn's header), and turning a BigInt into bytes allocates several BigInts.
 */
const ID_CACHE = 8;
const cachedIds: bigint[] = new Array<bigint>(ID_CACHE).fill(0n);
const cachedBytes: Buffer[] = Array.from({ length: ID_CACHE }, () => Buffer.alloc(8));
let nextSlot = 0;

/** The slot that answered last: consecutive writes mostly carry the same id. */
let lastHit = 0;

function idBytes(v: bigint): Buffer {
  if (cachedIds[lastHit] === v) return cachedBytes[lastHit]!;
  for (let i = 0; i < ID_CACHE; i++) {
    if (cachedIds[i] === v) {
      lastHit = i;
      return cachedBytes[i]!;
    }
  }
  const slot = nextSlot;
  nextSlot = (slot + 1) % ID_CACHE;
  cachedIds[slot] = v;
  cachedBytes[slot]!.writeBigInt64BE(BigInt.asIntN(64, v));
  return cachedBytes[slot]!;
}

/**
 * Appends jute primitives to a growable buffer. One writer is reused for many frames:
 * `reset()`, encode, then `take()` copies out exactly the bytes written.
 */
export class JuteWriter {
  buf: Buffer;
  offset = 0;

  constructor(initial = INITIAL) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  reset(): this {
    this.offset = 0;
    return this;
  }

  private ensure(n: number): void {
    const need = this.offset + n;
    if (need <= this.buf.length) return;
    if (need > MAX_FRAME) throw new RangeError(`frame of ${need} bytes exceeds ${MAX_FRAME}`);
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(Math.min(size, MAX_FRAME));
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }

  int(v: number): void {
    this.ensure(4);
    putInt32BE(this.buf, this.offset, v | 0);
    this.offset += 4;
  }

  long(v: number): void {
    this.ensure(8);
    putLongBE(this.buf, this.offset, v);
    this.offset += 8;
  }

  /** Appends `v` as it is (bytes encoded before: no length prefix). */
  raw(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.offset);
    this.offset += v.length;
  }

  id(v: bigint): void {
    this.ensure(8);
    this.buf.set(idBytes(v), this.offset);
    this.offset += 8;
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.offset++] = v ? 1 : 0;
  }

  buffer(v: Uint8Array | null | undefined): void {
    if (v == null) {
      this.int(-1);
      return;
    }
    this.int(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.offset);
    this.offset += v.length;
  }

  ustring(v: string | null | undefined): void {
    if (v == null) {
      this.int(-1);
      return;
    }
    // Worst case 3 bytes per UTF-16 unit; write first, then backfill the real length.
    this.ensure(4 + v.length * 3);
    const at = this.offset + 4;
    // Short ASCII strings (paths, schemes, ids: nearly all of them) a byte per character: that
    // beats a call into the UTF-8 encoder. Anything else, or a long string, goes through it.
    let len = v.length <= ASCII_BY_HAND ? asciiInto(this.buf, at, v) : -1;
    if (len < 0) len = this.buf.write(v, at, 'utf8');
    putInt32BE(this.buf, this.offset, len);
    this.offset += 4 + len;
  }

  /** Reserves a 4-byte length prefix; pass the result to `endFrame`. */
  beginFrame(): number {
    const at = this.offset;
    this.int(0);
    return at;
  }

  endFrame(at: number): void {
    putInt32BE(this.buf, at, this.offset - at - 4);
  }

  /** A copy of everything written since the last reset. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.offset);
    this.buf.copy(out, 0, 0, this.offset);
    return out;
  }
}
