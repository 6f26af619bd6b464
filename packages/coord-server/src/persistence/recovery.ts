import { join } from 'node:path';
import type { Clock } from '@paddock/edges';
import type { Logger } from '../base/logger.js';
import { replayTxn } from '../txn/apply.js';
import { SessionTracker } from '../session/session-tracker.js';
import { DataTree } from '../tree/data-tree.js';
import { NO_WATCH_SINK, WatchManager } from '../watch/watch-manager.js';
import { RecentTxns } from './recent-txns.js';
import { LOG_PREFIX, SNAP_PREFIX, cutFile, listZxidFiles } from './files.js';
import { loadSnapshot } from './snapshot.js';
import { type Damage, judgeDamage } from './log-damage.js';
import { firstLogAfter, followsInHistory, walkLogs } from './log-walk.js';

export interface RecoveredState {
  readonly tree: DataTree;
  readonly sessions: SessionTracker;
  readonly lastZxid: number;
  readonly snapshotZxid: number;
  readonly replayed: number;
  /** What was cut off the end of the log, if anything: a torn write from a crash. */
  readonly truncated: string | null;
  /** The last `keepRecent` txns replayed (an ensemble leader syncs learners by them); Persistence goes on filling it. */
  readonly recent: RecentTxns;
}

export interface RecoveryOptions {
  readonly snapDir: string;
  readonly logDir: string;
  readonly tickTime: number;
  readonly serverId: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Keep this many of the last txns replayed (RecoveredState.recent); default none. */
  readonly keepRecent?: number;
}

/** Recovery found history it cannot read or that has a hole: the server must not start. */
export class RecoveryError extends Error {
  override readonly name = 'RecoveryError';
}

const hex = (zxid: number): string => `0x${zxid.toString(16)}`;

/** The one-line refusal: where, why, what a cut would lose, and what the operator can do. */
function damaged(file: string, off: number, damage: Damage & { cut: false }, laterLogs: number): RecoveryError {
  const lost = damage.after
    ? ` ${damage.after.count} valid records follow it (zxids ${hex(damage.after.firstZxid)}..${hex(damage.after.lastZxid)}), acknowledged writes a cut would lose.`
    : '';
  const later = laterLogs > 0 ? ` ${laterLogs} later log file(s) hold the history after it.` : '';
  const repair = laterLogs > 0
    ? 'restore the data directory from a backup'
    : `restore the data directory from a backup, or accept losing everything from that byte on with \`truncate -s ${off} ${file}\` and start again`;
  return new RecoveryError(
    `txn log ${file} is damaged at byte ${off} (${damage.why}).${lost}${later} Nothing was changed; to go on, ${repair}.`,
  );
}

/**
 * Rebuilds the tree: the newest snapshot that passes its checksum, then every logged txn
 * after it (see followsInHistory for the order they must come in). Only a provably torn tail of the newest log is cut off (it was never acknowledged,
 * see log-damage.ts); damage anywhere else, or a hole in the zxids, means lost history, and
 * recovery refuses to go on before it has changed any file.
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
  const target = { ...state, dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK) };
  const logs = listZxidFiles(o.logDir, LOG_PREFIX);
  let replayed = 0;
  let truncated: string | null = null;
  const recent = new RecentTxns(o.keepRecent ?? 0);
  let lastZxid = snapshotZxid;
  for (const rec of walkLogs(o.logDir, logs, firstLogAfter(logs, snapshotZxid))) {
    const file = join(o.logDir, logs[rec.file]!.name);
    if ('torn' in rec) {
      const damage = judgeDamage(rec.buf, rec.offset, rec.torn, lastZxid);
      const later = logs.length - 1 - rec.file;
      if (!damage.cut || later > 0) throw damaged(file, rec.offset, damage.cut ? { ...damage, cut: false, after: null } : damage, later);
      truncated = `${logs[rec.file]!.name} at byte ${rec.offset}: ${damage.why}`;
      // Zeros after the last record are the log's own zero-fill (see FileTxnLog), or a write that never began: nothing to warn of.
      if (damage.zeros) o.logger.info({ file: logs[rec.file]!.name, offset: rec.offset }, 'txn log ends in never-written (zero) space; cut there');
      else o.logger.warn({ file: logs[rec.file]!.name, offset: rec.offset, why: damage.why }, 'cutting torn tail off the txn log');
      cutFile(file, rec.offset);
      break;
    }
    const zxid = rec.txn.zxid;
    if (zxid <= lastZxid) continue;
    if (!followsInHistory(lastZxid, zxid)) {
      throw new RecoveryError(
        `txn log ${file} jumps from zxid ${hex(lastZxid)} to ${hex(zxid)} at byte ${rec.start}: the txns between are missing `
        + '(a deleted log file or a snapshot that no longer loads). Nothing was changed; to go on, restore the data directory from a backup.',
      );
    }
    replayTxn(target, rec.txn);
    lastZxid = zxid;
    replayed++;
    recent.push(rec.txn);
  }
  state.tree.lastProcessedZxid = lastZxid;
  return { ...state, lastZxid, snapshotZxid, replayed, truncated, recent };
}
