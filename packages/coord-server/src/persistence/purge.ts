import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_PREFIX, SNAP_PREFIX, listZxidFiles } from './files.js';

/**
 * Keeps the newest `retain` snapshots and the logs recovery could still need from the oldest
 * of them (the log that holds the txn after it, and every later one). Returns the files removed.
 */
export function purge(snapDir: string, logDir: string, retain: number): string[] {
  const snaps = listZxidFiles(snapDir, SNAP_PREFIX);
  if (snaps.length <= retain) return [];
  const keepFrom = snaps[snaps.length - retain]!.zxid;
  const removed: string[] = [];
  for (const s of snaps.slice(0, snaps.length - retain)) {
    unlinkSync(join(snapDir, s.name));
    removed.push(s.name);
  }
  const logs = listZxidFiles(logDir, LOG_PREFIX);
  // The last log starting at or before keepFrom + 1 may hold txns after keepFrom: keep it.
  let firstNeeded = 0;
  for (let i = 0; i < logs.length; i++) if (logs[i]!.zxid <= keepFrom + 1) firstNeeded = i;
  for (const l of logs.slice(0, firstNeeded)) {
    unlinkSync(join(logDir, l.name));
    removed.push(l.name);
  }
  return removed;
}
