import type { DataTree } from '../../tree/data-tree.js';
import { encodeSnapshotSection } from '../wire/quorum-packet.js';
import { type ZkSession, zkSnapshotChunks } from './zk-snapshot.js';

const NO_BYTES = Buffer.alloc(0);

/**
 * What a 3.8 leader writes on the quorum socket right after the SNAP packet (LearnerHandler),
 * a chunk at a time: the snapshot body, then the string "BenWasHere", which
 * Learner.syncWithLeader checks before it takes the tree. No length, no digest and no
 * checksum: the learner finds the end by parsing (QuorumPacketDecoder), and TCP and the
 * digests of later txns cover the bytes.
 */
export function* snapSyncChunks(tree: DataTree, sessions: Iterable<ZkSession>): Generator<Buffer, void, undefined> {
  yield* zkSnapshotChunks(tree, sessions);
  yield encodeSnapshotSection(NO_BYTES);
}
