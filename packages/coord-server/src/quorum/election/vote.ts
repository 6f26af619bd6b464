/**
 * Votes and notifications of fast leader election, as ZooKeeper 3.8 defines them.
 *
 * Ids, zxids and epochs are numbers (a zxid is epoch × 2^32 + counter, far below 2^53). A
 * server that votes for nobody (an observer) sends Java's Long.MIN_VALUE in those fields:
 * `NONE` stands for it, and compares below every real value, as the long does.
 */
export const NONE = Number.NEGATIVE_INFINITY;

/** A server's state as notifications carry it (the wire value is the index). */
export const PEER_STATES = ['looking', 'following', 'leading', 'observing'] as const;
export type PeerState = (typeof PEER_STATES)[number];

/** Whom a server proposes as leader, and how up to date that server is. */
export interface Vote {
  readonly leader: number;
  readonly zxid: number;
  /** The round of election (ZooKeeper's logical clock) the vote was cast in. */
  readonly electionEpoch: number;
  /** The epoch of the last leader the proposed server followed or led. */
  readonly peerEpoch: number;
}

/** A vote as sent between servers, with its sender's state and message version. */
export interface Notification extends Vote {
  readonly state: PeerState;
  /** Message format: 0 (28 or 40 bytes), 1, or 2 (with the config text). */
  readonly version: number;
  /** The sender's ensemble config (version ≥ 2), as `/zookeeper/config` holds it. */
  readonly config: string | null;
}

/**
 * The total order of fast leader election: a later peer epoch wins, then a later zxid, then
 * the larger server id. Callers exclude proposals for servers that cannot vote.
 */
export function isNewer(a: Vote, b: Vote): boolean {
  if (a.peerEpoch !== b.peerEpoch) return a.peerEpoch > b.peerEpoch;
  if (a.zxid !== b.zxid) return a.zxid > b.zxid;
  return a.leader > b.leader;
}

/** Do two notifications vote the same way? ZooKeeper's rule for counting agreeing votes. */
export function sameVote(a: Notification, b: Notification): boolean {
  if (a.state === 'looking' || b.state === 'looking') {
    return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  // Out of election only the leader and its epoch matter (zxid and round may differ); a
  // version-0 sender does not report the peer epoch the same way, so then only the leader.
  if (a.version > 0 !== b.version > 0) return a.leader === b.leader;
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}
