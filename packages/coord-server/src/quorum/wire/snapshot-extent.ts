import type { QuorumLimits } from './limits.js';
import { QuorumWireError } from './quorum-wire-error.js';

/** What ZooKeeper's leader writes after the snapshot (LearnerHandler), and its learner checks. */
export const SNAP_SIGNATURE = 'BenWasHere';

/** StatPersisted: czxid, mzxid, ctime, mtime (longs), version, cversion, aversion (ints), ephemeralOwner, pzxid (longs). */
const STAT_PERSISTED_BYTES = 4 * 8 + 3 * 4 + 2 * 8;
const SESSION_BYTES = 12;

type Phase = 'sessionCount' | 'sessions' | 'aclCount' | 'aclEntry' | 'acl' | 'node' | 'signature' | 'done';

/**
 * Finds where the snapshot that follows a SNAP packet ends. The leader writes it straight onto
 * the quorum socket with no length in front (ZKDatabase.serializeSnapshot, then the string
 * "BenWasHere"), so its end is known only by walking its structure: the session count and
 * (id, timeout) pairs; the ACL cache (count, then per entry a long and a vector of ACLs); the
 * nodes (path, DataNode record) until the path "/". This walks lengths only, never decoding a
 * node (that is the snapshot reader's work, on the bytes handed out), and resumes where it
 * stopped when more bytes arrive: every step is O(1), so a torn section costs nothing extra.
 */
export class SnapshotExtent {
  /** Bytes of the section walked so far, from its first byte. */
  private pos = 0;
  private phase: Phase = 'sessionCount';
  private left = 0;
  private aclsLeft = 0;

  constructor(private readonly limits: QuorumLimits) {}

  /**
   * Walks on over buf[base + walked .. end), where base is the section's first byte. Returns
   * the snapshot's length (without the signature) and the whole section's once the signature
   * is read, else null: more bytes are needed.
   */
  advance(buf: Buffer, base: number, end: number): { snapshotBytes: number; sectionBytes: number } | null {
    const avail = end - base;
    let snapshotBytes = -1;
    for (;;) {
      if (this.phase === 'done') return { snapshotBytes, sectionBytes: this.pos };
      if (this.phase === 'signature') snapshotBytes = this.pos;
      const used = this.step(buf, base + this.pos, avail - this.pos);
      if (used === 0) break;
      this.pos += used;
      if (this.pos > this.limits.maxSnapshotBytes) {
        throw new QuorumWireError(`snapshot after SNAP is over maxSnapshotBytes ${this.limits.maxSnapshotBytes}`);
      }
    }
    if (avail > this.limits.maxSnapshotBytes + 4 + SNAP_SIGNATURE.length) {
      throw new QuorumWireError(`snapshot after SNAP is over maxSnapshotBytes ${this.limits.maxSnapshotBytes}`);
    }
    return null;
  }

  /** One step at buf[at..at+avail): the bytes it used, 0 when it needs more. */
  private step(buf: Buffer, at: number, avail: number): number {
    switch (this.phase) {
      case 'sessionCount':
        return this.count(buf, at, avail, 'session count', SESSION_BYTES, 'sessions');
      case 'sessions': {
        const whole = Math.min(this.left, Math.floor(avail / SESSION_BYTES));
        this.left -= whole;
        if (this.left === 0) this.phase = 'aclCount';
        return whole * SESSION_BYTES;
      }
      case 'aclCount':
        return this.count(buf, at, avail, 'ACL cache size', 12, 'aclEntry');
      case 'aclEntry':
        return this.aclEntry(buf, at, avail);
      case 'acl':
        return this.acl(buf, at, avail);
      case 'node':
        return this.node(buf, at, avail);
      case 'signature':
        return this.signature(buf, at, avail);
      default:
        return 0;
    }
  }

  private count(buf: Buffer, at: number, avail: number, what: string, minEach: number, next: Phase): number {
    if (avail < 4) return 0;
    const n = buf.readInt32BE(at);
    if (n < 0 || n * minEach > this.limits.maxSnapshotBytes) throw new QuorumWireError(`snapshot ${what} ${n} is negative or past maxSnapshotBytes`);
    this.left = n;
    this.phase = n === 0 ? this.after(next) : next;
    return 4;
  }

  /** Where a phase goes once its items are done. */
  private after(phase: Phase): Phase {
    return phase === 'sessions' ? 'aclCount' : 'node';
  }

  private aclEntry(buf: Buffer, at: number, avail: number): number {
    if (avail < 12) return 0;
    const n = buf.readInt32BE(at + 8);
    if (n < 0 || n * 12 > this.limits.maxSnapshotBytes) throw new QuorumWireError(`snapshot ACL list length ${n} in the ACL cache is negative or past maxSnapshotBytes`);
    this.aclsLeft = n;
    this.phase = n === 0 ? this.nextEntry() : 'acl';
    return 12;
  }

  private nextEntry(): Phase {
    this.left -= 1;
    return this.left === 0 ? 'node' : 'aclEntry';
  }

  /** An ACL: perms, then the Id's scheme and id strings. */
  private acl(buf: Buffer, at: number, avail: number): number {
    let used = 4;
    for (let i = 0; i < 2; i++) {
      const len = this.length(buf, at + used, avail - used, 'ACL id string', false);
      if (len < 0) return 0;
      used += 4 + len;
    }
    if (used > avail) return 0;
    this.aclsLeft -= 1;
    if (this.aclsLeft === 0) this.phase = this.nextEntry();
    return used;
  }

  /** A node: path, then (unless the path is the "/" that ends the tree) data, acl key and stat. */
  private node(buf: Buffer, at: number, avail: number): number {
    const pathLen = this.length(buf, at, avail, 'node path', false);
    if (pathLen < 0 || 4 + pathLen > avail) return 0;
    if (pathLen === 1 && buf[at + 4] === 0x2f) {
      this.phase = 'signature';
      return 5;
    }
    const dataAt = 4 + pathLen;
    const dataLen = this.length(buf, at + dataAt, avail - dataAt, 'node data', true);
    if (dataLen < -1) return 0;
    const used = dataAt + 4 + Math.max(dataLen, 0) + 8 + STAT_PERSISTED_BYTES;
    return used > avail ? 0 : used;
  }

  private signature(buf: Buffer, at: number, avail: number): number {
    const len = this.length(buf, at, avail, 'signature', false);
    if (len < 0 || 4 + len > avail) return 0;
    const sig = buf.toString('utf8', at + 4, at + 4 + len);
    if (sig !== SNAP_SIGNATURE) throw new QuorumWireError(`snapshot signature is ${JSON.stringify(sig.slice(0, 40))}, expected ${SNAP_SIGNATURE}`);
    this.phase = 'done';
    return 4 + len;
  }

  /**
   * A jute length at buf[at]: -1 (null, only where `nullable`) or 0..maxLength. Returns -2
   * when the four bytes are not here yet.
   */
  private length(buf: Buffer, at: number, avail: number, what: string, nullable: boolean): number {
    if (avail < 4) return -2;
    const len = buf.readInt32BE(at);
    if (len === -1 && nullable) return -1;
    if (len < 0 || len > this.limits.maxLength) {
      throw new QuorumWireError(`snapshot ${what} length ${len} outside 0..${this.limits.maxLength} (${this.limits.maxLengthRule})`);
    }
    return len;
  }
}
