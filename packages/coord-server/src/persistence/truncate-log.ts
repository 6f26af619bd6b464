import { join } from 'node:path';
import { type DiskStep, LOG_PREFIX, SNAP_PREFIX, cutFile, listZxidFiles, removal } from './files.js';
import { firstLogAfter, followsInHistory, walkLogs } from './log-walk.js';
import { snapshotIntact } from './snapshot.js';

/**
 * The history on disk cannot be cut back to the zxid asked for: no snapshot at or below it
 * that loads, followed by log records that reach it without a hole. Nothing was changed; a
 * learner then asks its leader for a full snapshot instead.
 */
export class TruncateError extends Error {
  override readonly name = 'TruncateError';
}

const hex = (zxid: number): string => `0x${zxid.toString(16)}`;

/** Where the history after the target starts: the record to cut before, if any. */
interface Cut {
  readonly file: number;
  readonly offset: number;
}

/**
 * Finds the snapshot recovery would start from once every snapshot past `zxid` is gone (the
 * newest intact one at or below it, or the empty tree at 0), then walks the log from there:
 * every record up to `zxid` must follow the one before it, the record `zxid` itself must be
 * there (or be the snapshot), and the first record past it (or an unreadable tail past it) is
 * where the cut goes. Throws a TruncateError naming what is missing; reads only.
 */
function findCut(snapDir: string, logDir: string, zxid: number): Cut | null {
  const snaps = listZxidFiles(snapDir, SNAP_PREFIX).reverse();
  const base = snaps.find((s) => s.zxid <= zxid && snapshotIntact(join(snapDir, s.name)))?.zxid ?? 0;
  const logs = listZxidFiles(logDir, LOG_PREFIX);
  let last = base;
  let cut: Cut | null = null;
  for (const rec of walkLogs(logDir, logs, firstLogAfter(logs, base))) {
    if ('torn' in rec) {
      if (last < zxid) {
        throw new TruncateError(`cannot truncate the txn log to zxid ${hex(zxid)}: ${logs[rec.file]!.name} does not read at byte ${rec.offset} (${rec.torn}), after zxid ${hex(last)}`);
      }
      cut = { file: rec.file, offset: rec.offset };
      break;
    }
    const next = rec.txn.zxid;
    if (next <= last) continue;
    if (next > zxid) {
      cut = { file: rec.file, offset: rec.start };
      break;
    }
    if (!followsInHistory(last, next)) {
      throw new TruncateError(`cannot truncate the txn log to zxid ${hex(zxid)}: ${logs[rec.file]!.name} jumps from zxid ${hex(last)} to ${hex(next)}, the txns between are missing`);
    }
    last = next;
  }
  if (last !== zxid) {
    const from = base === 0 ? 'the first txn' : `the snapshot at ${hex(base)}`;
    throw new TruncateError(`cannot truncate the txn log to zxid ${hex(zxid)}: the history from ${from} reaches zxid ${hex(last)}, not ${hex(zxid)}`);
  }
  return cut;
}

/**
 * The steps that make `zxid` the end of the history on disk (ZAB's TRUNC, ZooKeeper's
 * FileTxnSnapLog.truncateLog), or a TruncateError before anything is changed.
 *
 * Their order keeps recovery sound after a crash between any two: first the snapshots past
 * `zxid` go (the log still holds all they cover, so recovery replays the same history from
 * an older one), then the log files past the cut, newest first, each removal durable before
 * the next (what is left is always a prefix of the history, never one with a hole), and last
 * the file holding the cut is cut at a record boundary. Until the last step recovery ends at or
 * past `zxid` on the old history; after it, exactly at `zxid`.
 *
 * Snapshots are fuzzy and may hold txns past the zxid they are named for, but only txns the
 * tree had applied, and a server applies only committed txns, which ZAB never truncates: a
 * snapshot at or below `zxid` holds nothing the cut removes.
 */
export function truncationSteps(snapDir: string, logDir: string, zxid: number): DiskStep[] {
  const cut = findCut(snapDir, logDir, zxid);
  const steps: DiskStep[] = [];
  const newer = listZxidFiles(snapDir, SNAP_PREFIX).filter((s) => s.zxid > zxid).map((s) => s.name);
  for (const name of newer.reverse()) steps.push(removal(snapDir, name));
  if (!cut) return steps;
  const logs = listZxidFiles(logDir, LOG_PREFIX);
  // A file whose first record goes is removed whole rather than left empty.
  const whole = logs.slice(cut.offset === 0 ? cut.file : cut.file + 1).map((l) => l.name).reverse();
  for (const name of whole) steps.push(removal(logDir, name));
  if (cut.offset > 0) {
    const name = logs[cut.file]!.name;
    steps.push({ what: `cut ${name} at byte ${cut.offset}`, run: () => cutFile(join(logDir, name), cut.offset) });
  }
  return steps;
}
