import { JuteError, JuteReader, JuteWriter } from '@paddock/coord-protocol';
import type { DataTree } from '../../tree/data-tree.js';
import { SnapshotContentError, type ZkSnapshot, ZkSnapshotBuilder } from './zk-snapshot-reader.js';
import { type ZkSession, zkSnapshotChunks } from './zk-snapshot.js';

/**
 * What a 3.8 leader writes on the quorum socket right after the SNAP packet (LearnerHandler):
 * the snapshot body, then the string "BenWasHere", which Learner.syncWithLeader checks before
 * it takes the tree. No length, no digest and no checksum: the learner finds the end by
 * parsing, and TCP and the digests of later txns cover the bytes.
 */
const SIGNATURE = 'BenWasHere';
/** Default bound on one item of the stream (a node and its data): far above jute.maxbuffer. */
const MAX_ITEM_BYTES = 64 * 1024 * 1024;

/** The SNAP stream a chunk at a time: the snapshot body, then the signature. */
export function* snapSyncChunks(tree: DataTree, sessions: Iterable<ZkSession>): Generator<Buffer, void, undefined> {
  yield* zkSnapshotChunks(tree, sessions);
  const w = new JuteWriter(16);
  w.ustring(SIGNATURE);
  yield w.take();
}

type Phase = 'sessionCount' | 'sessions' | 'aclCount' | 'acls' | 'nodes' | 'signature' | 'done';

function count(r: JuteReader, what: string): number {
  const n = r.int();
  if (n < 0) throw new SnapshotContentError(`SNAP stream has ${n} ${what}`);
  return n;
}

/** A whole snapshot read from a SNAP stream, and the bytes that followed its signature. */
export type SnapSyncResult = ZkSnapshot & { readonly rest: Buffer };

/**
 * Reads a SNAP stream as it arrives: push() each chunk of the socket; once the signature is in,
 * push() returns the tree, the sessions and the bytes after the signature (the packets that
 * follow). An item cut short waits for the next chunk; one that stays incomplete past
 * `maxItemBytes`, or says something impossible, fails with an error naming it.
 */
export class SnapSyncReader {
  private readonly builder = new ZkSnapshotBuilder();
  private phase: Phase = 'sessionCount';
  private left = 0;
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxItemBytes = MAX_ITEM_BYTES) {}

  push(chunk: Buffer): SnapSyncResult | null {
    if (this.done()) throw new Error('SNAP stream already read to its signature');
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const r = new JuteReader(buf);
    while (!this.done()) {
      const start = r.offset;
      try {
        this.step(r);
      } catch (e) {
        if (e instanceof SnapshotContentError || !(e instanceof JuteError)) throw e;
        if (buf.length - start > this.maxItemBytes) throw new JuteError(`SNAP stream item over ${this.maxItemBytes} bytes: ${e.message}`);
        this.pending = Buffer.from(buf.subarray(start));
        return null;
      }
    }
    this.pending = Buffer.alloc(0);
    return { ...this.builder.finish(), rest: buf.subarray(r.offset) };
  }

  /** A method, not a field test, so the compiler does not assume step() left the phase alone. */
  private done(): boolean {
    return this.phase === 'done';
  }

  /** Reads one item of the current phase, or moves to the next phase. */
  private step(r: JuteReader): void {
    switch (this.phase) {
      case 'sessionCount':
        this.left = count(r, 'sessions');
        this.phase = 'sessions';
        return;
      case 'sessions':
        if (this.left === 0) this.phase = 'aclCount';
        else { this.builder.session(r); this.left--; }
        return;
      case 'aclCount':
        this.left = count(r, 'ACL map entries');
        this.phase = 'acls';
        return;
      case 'acls':
        if (this.left === 0) this.phase = 'nodes';
        else { this.builder.aclEntry(r); this.left--; }
        return;
      case 'nodes':
        if (!this.builder.node(r)) this.phase = 'signature';
        return;
      case 'signature': {
        const s = r.ustringOrNull();
        if (s !== SIGNATURE) throw new SnapshotContentError(`SNAP stream ends with ${JSON.stringify(s)}, not the signature ${SIGNATURE}`);
        this.phase = 'done';
        return;
      }
      case 'done':
        return;
    }
  }
}
