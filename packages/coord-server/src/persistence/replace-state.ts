import type { SessionTracker } from '../session/session-tracker.js';
import type { DataTree } from '../tree/data-tree.js';
import { type DiskStep, LOG_PREFIX, SNAP_PREFIX, listZxidFiles, removal } from './files.js';
import { publish, writeUnpublished } from './snapshot.js';

/**
 * After a SNAP sync the given tree at `zxid` becomes the whole history on disk. The snapshot is
 * written and synced first under its temporary name, which recovery ignores; the steps returned
 * then remove every log file (newest first, each removal durable before the next), every
 * snapshot past `zxid`, publish the new one and remove the older ones.
 *
 * Why the logs go before the new snapshot is published: they may hold records past `zxid` from
 * a history the leader dropped (proposals this server logged that were never committed), and
 * recovery replays whatever follows the newest snapshot. Published first, a crash would mix
 * those records into the new state. In this order a crash leaves either the old history or a
 * prefix of it (an older state, which the leader syncs again), or exactly the new state.
 */
export async function replacementSteps(
  snapDir: string, logDir: string, tree: DataTree, sessions: SessionTracker, zxid: number,
): Promise<DiskStep[]> {
  const snap = await writeUnpublished(snapDir, zxid, tree, sessions);
  const snaps = listZxidFiles(snapDir, SNAP_PREFIX).reverse();
  return [
    ...listZxidFiles(logDir, LOG_PREFIX).reverse().map((l) => removal(logDir, l.name)),
    ...snaps.filter((s) => s.zxid > zxid).map((s) => removal(snapDir, s.name)),
    { what: `publish ${snap.file}`, run: async () => { await publish(snap); } },
    ...snaps.filter((s) => s.zxid < zxid).map((s) => removal(snapDir, s.name)),
  ];
}
