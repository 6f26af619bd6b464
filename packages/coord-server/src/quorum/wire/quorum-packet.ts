import { JuteWriter, codec, type Id } from '@paddock/coord-protocol';
import { ByteQueue } from './byte-queue.js';
import { DEFAULT_QUORUM_LIMITS, type QuorumLimits } from './limits.js';
import { PacketType, packetTypeName } from './packet-types.js';
import { QuorumWireError } from './quorum-wire-error.js';
import { SNAP_SIGNATURE, SnapshotExtent } from './snapshot-extent.js';
import { safeLongAt } from './safe-long.js';

/**
 * ZooKeeper's QuorumPacket record (zookeeper.jute): int type, long zxid, buffer data,
 * vector<Id> authinfo. On the quorum socket these are written back to back with jute's binary
 * archive and no outer length. Nulls are kept (length -1 on the wire) because ZooKeeper sends
 * both: most packets have null data and null authinfo, a learner's empty PING answer has
 * empty data, a forwarded request has its client's (possibly empty) authinfo.
 */
export interface QuorumPacket {
  readonly type: number;
  readonly zxid: number;
  readonly data: Buffer | null;
  readonly authinfo: readonly Id[] | null;
}

/** What the quorum socket carries: packets, and on a learner the snapshot after SNAP. */
export type QuorumInput =
  | { readonly kind: 'packet'; readonly packet: QuorumPacket }
  /** The snapshot (sessions and tree, ZKDatabase.serializeSnapshot) without its signature. */
  | { readonly kind: 'snapshot'; readonly snapshot: Buffer };

const ID = codec('Id');
const TWO_32 = 4294967296;
const SIGNATURE = Buffer.from(SNAP_SIGNATURE, 'utf8');
const writer = new JuteWriter();

function checkOut(p: QuorumPacket, limits: QuorumLimits): void {
  if (!Number.isInteger(p.type) || p.type < -TWO_32 / 2 || p.type >= TWO_32 / 2) throw new QuorumWireError(`packet type ${p.type} is not an int`);
  if (!Number.isSafeInteger(p.zxid)) throw new QuorumWireError(`${packetTypeName(p.type)} zxid ${p.zxid} is not a safe integer`);
  if (p.data && p.data.length > limits.maxLength) {
    throw new QuorumWireError(`${packetTypeName(p.type)} data of ${p.data.length} bytes is over ${limits.maxLength} (${limits.maxLengthRule})`);
  }
  if (p.authinfo && p.authinfo.length > limits.maxAuthInfo) {
    throw new QuorumWireError(`${packetTypeName(p.type)} authinfo of ${p.authinfo.length} ids is over maxAuthInfo ${limits.maxAuthInfo}`);
  }
  if (p.authinfo === null || p.authinfo.length === 0) return;
  let authBytes = 0;
  for (const id of p.authinfo) authBytes += 8 + Buffer.byteLength(id.scheme) + Buffer.byteLength(id.id);
  if (authBytes > limits.maxLength) {
    throw new QuorumWireError(`${packetTypeName(p.type)} authinfo is over ${limits.maxLength} bytes in all (${limits.maxLengthRule})`);
  }
}

/** Appends one packet to `w`, refusing what a peer would refuse to read (before writing any of it). */
export function writeQuorumPacket(w: JuteWriter, p: QuorumPacket, limits = DEFAULT_QUORUM_LIMITS): void {
  checkOut(p, limits);
  w.int(p.type);
  w.long(p.zxid);
  w.buffer(p.data);
  if (p.authinfo === null) {
    w.int(-1);
    return;
  }
  w.int(p.authinfo.length);
  for (const id of p.authinfo) ID.encode(w, id);
}

/** One packet's bytes as they go on the socket. */
export function encodeQuorumPacket(p: QuorumPacket, limits = DEFAULT_QUORUM_LIMITS): Buffer {
  writeQuorumPacket(writer.reset(), p, limits);
  return writer.take();
}

/** The snapshot section as a leader sends it after SNAP: the snapshot, then the signature. */
export function encodeSnapshotSection(snapshot: Buffer): Buffer {
  const out = Buffer.allocUnsafe(snapshot.length + 4 + SIGNATURE.length);
  snapshot.copy(out, 0);
  out.writeInt32BE(SIGNATURE.length, snapshot.length);
  SIGNATURE.copy(out, snapshot.length + 4);
  return out;
}

/**
 * Cuts the quorum socket's bytes into QuorumPackets, in any chunking: a torn packet waits for
 * more bytes, a bad length fails at once, naming the field and the limit. `learner` is the side
 * that reads what the leader sends, where the snapshot after a SNAP packet follows unframed.
 */
export class QuorumPacketDecoder {
  private readonly queue = new ByteQueue();
  /** Total bytes the packet at the head needs; no parse is tried before they are here. */
  private needed = 0;
  private snapshot: SnapshotExtent | null = null;
  private failed: Error | null = null;
  /** parsePacket's byte count, kept here rather than in an object per packet. */
  private readonly parsed = { bytes: 0 };

  constructor(
    private readonly side: 'leader' | 'learner',
    private readonly limits: QuorumLimits = DEFAULT_QUORUM_LIMITS,
  ) {}

  /** Bytes held that are not yet a whole packet or snapshot. */
  get pendingBytes(): number {
    return this.queue.length;
  }

  /** Feeds a chunk; returns what it completed, in order. After an error every push rethrows it. */
  push(chunk: Buffer): QuorumInput[] {
    if (this.failed) throw this.failed;
    this.queue.append(chunk);
    const out: QuorumInput[] = [];
    try {
      while (this.next(out));
    } catch (err) {
      this.failed = err as Error;
      throw err;
    }
    return out;
  }

  /** Completes one item if the bytes are here; false when more are needed. */
  private next(out: QuorumInput[]): boolean {
    const buf = this.queue.bytes;
    const start = this.queue.head;
    const end = this.queue.tail;
    if (this.snapshot) {
      const done = this.snapshot.advance(buf, start, end);
      if (!done) return false;
      out.push({ kind: 'snapshot', snapshot: this.queue.copy(done.snapshotBytes) });
      this.queue.consume(done.sectionBytes);
      this.snapshot = null;
      return true;
    }
    if (end - start < Math.max(this.needed, 1)) return false;
    const packet = parsePacket(buf, start, end, this.limits, this.parsed);
    if (packet === null) {
      this.needed = this.parsed.bytes;
      return false;
    }
    this.needed = 0;
    this.queue.consume(this.parsed.bytes);
    out.push({ kind: 'packet', packet });
    if (this.side === 'learner' && packet.type === PacketType.SNAP) this.snapshot = new SnapshotExtent(this.limits);
    return true;
  }
}

/** A jute length at buf[at], checked against the limit; -1 is jute's null. `what` is named only when it is bad. */
function lengthAt(buf: Buffer, at: number, type: number, what: string, limit: number, rule: string): number {
  const len = buf.readInt32BE(at);
  if (len < -1 || len > limit) throw new QuorumWireError(`${packetTypeName(type)} ${what} length ${len} outside -1..${limit} (${rule})`);
  return len;
}

/** What a packet with no authinfo or an empty one carries: shared, never written to. */
const NO_IDS: readonly Id[] = Object.freeze([]);

/** parsePacket's answer for a packet not all here: the bytes it needs, and no packet. */
function needs(size: { bytes: number }, n: number): null {
  size.bytes = n;
  return null;
}

/**
 * Parses the packet at buf[off..end). Returns it, with its size in `size.bytes`; or null, with
 * the total bytes it needs from `off` there when they are not all here (a lower bound while its
 * later lengths are unknown).
 */
function parsePacket(buf: Buffer, off: number, end: number, limits: QuorumLimits, size: { bytes: number }): QuorumPacket | null {
  let at = off + 16;
  if (end < at) return needs(size, 16);
  const type = buf.readInt32BE(off);
  const zxid = safeLongAt(buf, off + 4, () => `${packetTypeName(type)} zxid`);
  const dataLen = lengthAt(buf, off + 12, type, 'data', limits.maxLength, limits.maxLengthRule);
  const dataAt = at;
  at += Math.max(dataLen, 0) + 4;
  if (end < at) return needs(size, at - off);
  const count = buf.readInt32BE(at - 4);
  if (count < -1 || count > limits.maxAuthInfo) {
    throw new QuorumWireError(`${packetTypeName(type)} authinfo count ${count} outside -1..${limits.maxAuthInfo} (maxAuthInfo)`);
  }
  let ids: Id[] | null = null;
  // Each string is bounded alone, as in ZooKeeper; ours also bounds them together, so one
  // packet never holds more than twice the limit.
  const authAt = at;
  for (let i = 0; i < count; i++) {
    const strings: string[] = [];
    for (let s = 0; s < 2; s++) {
      if (end < at + 4) return needs(size, at + 4 - off);
      const len = lengthAt(buf, at, type, 'authinfo string', limits.maxLength, limits.maxLengthRule);
      at += 4;
      if (at + len - authAt > limits.maxLength) throw new QuorumWireError(`${packetTypeName(type)} authinfo is over ${limits.maxLength} bytes in all (${limits.maxLengthRule})`);
      if (end < at + Math.max(len, 0)) return needs(size, at + Math.max(len, 0) - off);
      strings.push(len <= 0 ? '' : buf.toString('utf8', at, at + len));
      at += Math.max(len, 0);
    }
    (ids ??= []).push({ scheme: strings[0]!, id: strings[1]! });
  }
  let data: Buffer | null = null;
  if (dataLen !== -1) {
    data = Buffer.allocUnsafe(dataLen);
    buf.copy(data, 0, dataAt, dataAt + dataLen);
  }
  size.bytes = at - off;
  return { type, zxid, data, authinfo: count === -1 ? null : ids ?? NO_IDS };
}
