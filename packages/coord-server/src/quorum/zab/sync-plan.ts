import { epochOf } from '../zxid.js';

/** A committed txn the leader still holds in memory, in ZooKeeper's txn serialization. */
export interface Committed {
  readonly zxid: number;
  readonly txn: Buffer;
}

/**
 * How the leader brings one learner up to date (ZooKeeper 3.8's LearnerHandler.syncFollower):
 * the opening packet (DIFF to the given zxid, TRUNC to it, or a snapshot), then the committed
 * proposals to send as PROPOSAL + COMMIT pairs, and the last zxid the learner will have
 * (forwarding of newer proposals starts after it).
 */
export interface SyncPlan {
  readonly mode: 'diff' | 'trunc' | 'snap';
  /** DIFF: the leader's last committed zxid; TRUNC: where the learner's log must end. */
  readonly zxid: number;
  readonly proposals: readonly Committed[];
  readonly lastQueued: number;
}

const isEpochStart = (zxid: number): boolean => zxid % 2 ** 32 === 0;

/**
 * Chooses DIFF, TRUNC or SNAP for a learner whose last logged zxid is `peerLastZxid`, given
 * the leader's last applied zxid and its window of recent commits (oldest first). As
 * ZooKeeper decides it, with one difference: the on-disk txn log is not read for older
 * history; a learner behind the window gets a snapshot.
 */
export function planSync(peerLastZxid: number, lastProcessed: number, window: readonly Committed[], forceSnap = false): SyncPlan {
  const snap: SyncPlan = { mode: 'snap', zxid: lastProcessed, proposals: [], lastQueued: lastProcessed };
  if (forceSnap) return snap;
  const min = window.length > 0 ? window[0]!.zxid : lastProcessed;
  const max = window.length > 0 ? window.at(-1)!.zxid : lastProcessed;
  if (lastProcessed === peerLastZxid) return { mode: 'diff', zxid: peerLastZxid, proposals: [], lastQueued: peerLastZxid };
  // The learner has txns we never committed (a failed leader's last proposals): cut them.
  if (peerLastZxid > max && !isEpochStart(peerLastZxid)) return { mode: 'trunc', zxid: max, proposals: [], lastQueued: max };
  if (peerLastZxid >= min && peerLastZxid <= max) return fromWindow(peerLastZxid, window, max) ?? snap;
  return snap;
}

/**
 * The learner's last zxid falls inside the window. If the window holds exactly that zxid (or
 * the learner is at an epoch's start), DIFF from there; if not, the learner has a txn the
 * leader never committed: TRUNC to the last common zxid, then the rest (only within one epoch,
 * as ZooKeeper allows; otherwise null, meaning a snapshot).
 */
function fromWindow(peerLastZxid: number, window: readonly Committed[], max: number): SyncPlan | null {
  let opening: { mode: 'diff' | 'trunc'; zxid: number } | null = null;
  let previous = -1;
  const proposals: Committed[] = [];
  let lastQueued = peerLastZxid;
  for (const c of window) {
    if (c.zxid < peerLastZxid) {
      previous = c.zxid;
      continue;
    }
    if (!opening) {
      if (c.zxid === peerLastZxid) {
        opening = { mode: 'diff', zxid: max };
        continue;
      }
      if (isEpochStart(peerLastZxid)) opening = { mode: 'diff', zxid: max };
      else if (epochOf(c.zxid) !== epochOf(peerLastZxid)) return null;
      else opening = { mode: 'trunc', zxid: previous };
    }
    if (c.zxid <= lastQueued) continue;
    proposals.push(c);
    lastQueued = c.zxid;
  }
  if (!opening) return isEpochStart(peerLastZxid) ? { mode: 'diff', zxid: max, proposals, lastQueued } : null;
  return { ...opening, proposals, lastQueued };
}
