import { JuteReader } from '@paddock/coord-protocol';
import type { Clock } from '@paddock/edges';
import { sessionPassword } from '../../session/session-password.js';
import { SessionTracker } from '../../session/session-tracker.js';
import { readZkSnapshot } from '../sync/zk-snapshot-reader.js';
import { snapSyncChunks } from '../sync/snap-sync.js';
import { zkTxnBytes } from '../wire/zk-txn.js';
import type { Txn } from '../../txn/txn.js';
import type { Committed } from '../zab/sync-plan.js';
import type { SyncCodecs } from './quorum-peer.js';

/**
 * ZooKeeper's serializations for syncing learners: the tree and sessions as a SNAP carries
 * them, read back into a tree and a session tracker (passwords derived from the ids, as every
 * ZooKeeper server derives them).
 */
export function syncCodecs(clock: Clock, serverId: number, snapshotSizeFactor: number): SyncCodecs {
  const committed = (txn: Txn): Committed => ({ zxid: txn.zxid, txn: zkTxnBytes({ txn, cxid: 0 }) });
  return {
    recent: ({ persistence }) => persistence.recent.list().map(committed),
    logSync: snapshotSizeFactor >= 0,
    older: ({ persistence }, from, before) => {
      const maxBytes = Math.floor(snapshotSizeFactor * persistence.newestSnapshotBytes());
      return persistence.loggedBetween(from, before, maxBytes)?.map(committed) ?? null;
    },
    snapshot: ({ recovered }) => {
      const sessions = [...recovered.sessions.all()].map((s) => ({ id: s.id, timeout: s.timeout }));
      return snapSyncChunks(recovered.tree, sessions);
    },
    readSnapshot: (bytes, tickTime) => {
      const snap = readZkSnapshot(new JuteReader(bytes));
      const sessions = new SessionTracker(tickTime, clock, serverId);
      for (const s of snap.sessions) sessions.add(s.id, s.timeout, sessionPassword(s.id));
      return { tree: snap.tree, sessions };
    },
  };
}
