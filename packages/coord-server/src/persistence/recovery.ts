import { closeSync, fdatasyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { replayTxn } from '../pipeline/apply.js';
import { SessionTracker } from '../session/session-tracker.js';
import { DataTree } from '../tree/data-tree.js';
import { WatchManager } from '../watch/watch-manager.js';
import { LOG_PREFIX, SNAP_PREFIX, listZxidFiles } from './files.js';
import { loadSnapshot } from './snapshot.js';
import { decodeTxnRecord } from './txn-codec.js';

export interface RecoveredState {
  readonly tree: DataTree;
  readonly sessions: SessionTracker;
  readonly lastZxid: number;
  readonly snapshotZxid: number;
  readonly replayed: number;
  /** What was cut off the end of the log, if anything: a torn write from a crash. */
  readonly truncated: string | null;
}

export interface RecoveryOptions {
  readonly snapDir: string;
  readonly logDir: string;
  readonly tickTime: number;
  readonly serverId: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Rebuilds the tree: the newest snapshot that passes its checksum, then every logged txn
 * after it. A torn or corrupt record at the end of the newest log is cut off (it was never
 * acknowledged); one anywhere else means lost history, and recovery refuses to go on.
 */
export function recover(o: RecoveryOptions): RecoveredState {
  const fresh = () => ({ tree: new DataTree(), sessions: new SessionTracker(o.tickTime, o.clock, o.serverId) });
  let state = fresh();
  let snapshotZxid = 0;
  for (const snap of listZxidFiles(o.snapDir, SNAP_PREFIX).reverse()) {
    try {
      const { zxid, nodes } = loadSnapshot(join(o.snapDir, snap.name), state.tree, state.sessions);
      snapshotZxid = zxid;
      o.logger.info({ file: snap.name, nodes }, 'loaded snapshot');
      break;
    } catch (e) {
      o.logger.warn({ file: snap.name, err: (e as Error).message }, 'skipping invalid snapshot');
      state = fresh();
    }
  }
  const target = { ...state, dataWatches: new WatchManager(), childWatches: new WatchManager() };
  const logs = listZxidFiles(o.logDir, LOG_PREFIX);
  let first = 0;
  for (let i = 0; i < logs.length; i++) if (logs[i]!.zxid <= snapshotZxid + 1) first = i;
  let replayed = 0;
  let truncated: string | null = null;
  let lastZxid = snapshotZxid;
  for (let i = first; i < logs.length; i++) {
    const file = join(o.logDir, logs[i]!.name);
    const buf = readFileSync(file);
    let off = 0;
    while (off < buf.length) {
      const rec = decodeTxnRecord(buf, off);
      if ('torn' in rec) {
        if (i !== logs.length - 1) {
          throw new Error(`txn log ${logs[i]!.name} is corrupt at byte ${off} (${rec.torn}) and later logs exist`);
        }
        if (rec.torn !== 'end of log' || buf.subarray(off).some((b) => b !== 0)) {
          truncated = `${logs[i]!.name} at byte ${off}: ${rec.torn}`;
          o.logger.warn({ file: logs[i]!.name, offset: off, why: rec.torn }, 'cutting torn tail off the txn log');
        }
        // Durably: should the torn bytes come back after a power loss, a later log would
        // follow them and recovery would refuse to start.
        const fd = openSync(file, 'r+');
        try {
          ftruncateSync(fd, off);
          fdatasyncSync(fd);
        } finally {
          closeSync(fd);
        }
        break;
      }
      off = rec.next;
      if (rec.txn.zxid <= lastZxid) continue;
      replayTxn(target, rec.txn);
      lastZxid = rec.txn.zxid;
      replayed++;
    }
  }
  state.tree.lastProcessedZxid = lastZxid;
  return { ...state, lastZxid, snapshotZxid, replayed, truncated };
}
