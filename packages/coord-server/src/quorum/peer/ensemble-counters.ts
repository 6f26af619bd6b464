import { MsSummary } from '../../pipeline/ms-summary.js';

/**
 * What an ensemble member counts for mntr and /metrics under ZooKeeper 3.8's ServerMetrics
 * names, across its terms (ZooKeeper's counters are process-wide): the leader's proposals,
 * commits and learner syncs by kind, a learner's PROPOSALs and COMMITs received, elections
 * entered and how long each took.
 */
export class EnsembleCounters {
  /** proposal_count: txns the leader proposed. */
  proposals = 0;
  /** commit_count: txns the leader committed. */
  commits = 0;
  /** looking_count: times this server entered LOOKING. */
  looking = 0;
  /** learner_proposal_received_count: PROPOSALs a follower logged (sync included). */
  learnerProposals = 0;
  /** learner_commit_received_count: COMMITs (an observer: INFORMs) a learner applied. */
  learnerCommits = 0;
  /** diff_count: learners the leader synced without a snapshot (DIFF or TRUNC). */
  diffSyncs = 0;
  /** snap_count: learners the leader sent a snapshot (SNAP). */
  snapSyncs = 0;
  /** election_time: ms from entering LOOKING to the decision. */
  readonly electionTime = new MsSummary();
}
