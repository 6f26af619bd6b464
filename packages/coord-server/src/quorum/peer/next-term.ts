import type { SessionTracker } from '../../session/session-tracker.js';
import type { DataTree } from '../../tree/data-tree.js';
import { applyTxn } from '../../txn/apply.js';
import { NO_WATCH_SINK, WatchManager } from '../../watch/watch-manager.js';
import type { TreeDigest } from '../sync/digest.js';
import type { LocalState } from './peer-host.js';

/** The tree and sessions a term ended with (a learner's may have come from a SNAP or a TRUNC). */
export interface TermEnd {
  readonly tree: DataTree;
  readonly sessions: SessionTracker;
  /** The tree's digest, if the term kept one up to date with every txn it applied. */
  readonly digest?: TreeDigest;
}

/**
 * The state the next term starts from, without reading the disk again (ZooKeeper keeps its
 * ZKDatabase across terms and fast-forwards it from the txn log): once the log is flushed, the
 * txns it holds past the tree (a learner's proposals that were logged but never committed)
 * are applied from the window of recent txns, and the tree then ends exactly where the log
 * does. Null when that cannot be shown (the tree is not the one the log describes, as after a
 * SNAP not yet written; the window does not reach back far enough; the tree is ahead of the
 * log, as after DIFF txns applied before NEWLEADER let them be logged): the caller then
 * reloads from disk, which is always right.
 */
export async function nextTermState(prev: LocalState, end: TermEnd): Promise<LocalState | null> {
  const { persistence } = prev;
  // The ended role's handler: its machine has nothing more to acknowledge.
  persistence.onDurable = () => {};
  const lastLogged = await persistence.flushed();
  const { tree, sessions } = end;
  if (!persistence.holds(tree)) return null;
  const window = persistence.recent.list();
  const from = window.findIndex((txn) => txn.zxid > tree.lastProcessedZxid);
  if (from === 0 && persistence.recent.trimmed) return null;
  if (from >= 0) {
    const target = { tree, sessions, dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK) };
    for (let i = from; i < window.length; i++) {
      const txn = window[i]!;
      if (end.digest) end.digest.track(tree, txn, () => applyTxn(target, txn));
      else applyTxn(target, txn);
    }
  }
  if (tree.lastProcessedZxid !== lastLogged) return null;
  sessions.restartAll();
  return {
    recovered: { ...prev.recovered, tree, sessions, lastZxid: lastLogged, replayed: 0, truncated: null },
    persistence,
    ...(end.digest ? { digest: end.digest } : {}),
  };
}
