import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Txn } from '../txn/txn.js';
import { LOG_PREFIX, SNAP_PREFIX, fileBytes, listZxidFiles } from './files.js';
import { followsInHistory, walkLogs } from './log-walk.js';

/** Bytes of the newest snapshot file in `snapDir`, 0 when there is none. */
export function newestSnapshotBytes(snapDir: string): number {
  const newest = listZxidFiles(snapDir, SNAP_PREFIX).at(-1);
  if (!newest) return 0;
  try {
    return statSync(join(snapDir, newest.name)).size;
  } catch {
    return 0;
  }
}

/**
 * The logged txns from the last one at or before `from` up to `before` (not included) or the
 * end of the log, oldest first, read back from the log files, as ZooKeeper's leader reads its txn log to sync a
 * learner its memory no longer reaches (ZKDatabase.getProposalsFromTxnLog). Null when the
 * files no longer hold a txn at or before `from` (purged), a record does not read, the txns
 * have a hole, or the log files to read pass `maxBytes` (0: no bound), where a snapshot is
 * the cheaper sync.
 */
export function loggedBetween(logDir: string, from: number, before: number, maxBytes: number): Txn[] | null {
  const logs = listZxidFiles(logDir, LOG_PREFIX);
  let start = -1;
  for (let i = 0; i < logs.length; i++) if (logs[i]!.zxid <= from) start = i;
  if (start < 0) return null;
  if (maxBytes > 0) {
    let bytes = 0;
    for (let i = start; i < logs.length; i++) bytes += fileBytes(join(logDir, logs[i]!.name));
    if (bytes > maxBytes) return null;
  }
  let out: Txn[] = [];
  for (const rec of walkLogs(logDir, logs, start)) {
    // The open file's tail may be a write in progress: what was read up to it stands.
    if ('torn' in rec) break;
    const { txn } = rec;
    if (txn.zxid >= before) break;
    if (txn.zxid <= from) out = [txn];
    else if (out.length === 0 || !followsInHistory(out.at(-1)!.zxid, txn.zxid)) return null;
    else out.push(txn);
  }
  return out.length > 0 ? out : null;
}
