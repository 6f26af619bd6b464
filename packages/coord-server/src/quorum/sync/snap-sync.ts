import { JuteError, JuteReader, JuteWriter } from '@paddock/coord-protocol';
import type { DataTree } from '../../tree/data-tree.js';
import { type ZkSession, type ZkSnapshot, readZkSnapshot, zkSnapshotChunks } from './zk-snapshot.js';

/**
 * What a 3.8 leader writes on the quorum socket right after the SNAP packet (LearnerHandler):
 * the snapshot body, then the string "BenWasHere", which Learner.syncWithLeader checks before
 * it takes the tree. No digest and no checksum: TCP and the digests of later txns cover it.
 */
const SIGNATURE = 'BenWasHere';

/** The SNAP stream a chunk at a time: the snapshot body, then the signature. */
export function* snapSyncChunks(tree: DataTree, sessions: Iterable<ZkSession>): Generator<Buffer, void, undefined> {
  yield* zkSnapshotChunks(tree, sessions);
  const w = new JuteWriter(16);
  w.ustring(SIGNATURE);
  yield w.take();
}

/** Reads a whole SNAP stream starting at `offset`; `end` is where the bytes after the signature start. */
export function readSnapSync(buf: Buffer, offset = 0): ZkSnapshot & { readonly end: number } {
  const r = new JuteReader(buf, offset);
  const snap = readZkSnapshot(r);
  const signature = r.ustringOrNull();
  if (signature !== SIGNATURE) throw new JuteError(`SNAP stream ends with ${JSON.stringify(signature)}, not the signature ${SIGNATURE}`);
  return { ...snap, end: r.offset };
}
