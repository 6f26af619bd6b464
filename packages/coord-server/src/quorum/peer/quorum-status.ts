import type { QuorumConfig } from '../config/quorum-config.js';
import type { LearnerCounters } from '../zab/leader.js';

/** A server's state in the ensemble, as ZooKeeper's QuorumPeer.ServerState names it. */
export type PeerRole = 'looking' | 'leading' | 'following' | 'observing';

/** ZooKeeper's ZabState: where a server is in ZAB's phases. */
export type ZabPhase = 'election' | 'discovery' | 'synchronization' | 'broadcast';

/** A learner as the leader sees it. */
export interface LearnerView {
  readonly id: number;
  readonly observer: boolean;
  /** In sync: acknowledged NEWLEADER and heard from within syncLimit. */
  readonly synced: boolean;
  /** Its quorum connection's remote address ("host:port"). */
  readonly address: string;
  /** What the leader counts of it (the `observers` command); `orst` resets an observer's. */
  readonly counters: LearnerCounters;
  /** Packets queued for it and bytes not yet handed to its socket. */
  readonly queued: { readonly packets: number; readonly bytes: number };
}

/**
 * What an ensemble member tells the four-letter words, the admin commands and `/metrics`:
 * its role and phase, the leader it knows, the ensemble config, and on the leader its learners.
 * Implemented by the quorum peer; read-only, but for `orst` resetting learner counters.
 */
export interface QuorumStatus {
  readonly config: QuorumConfig;
  readonly role: PeerRole;
  readonly phase: ZabPhase;
  /** The leader's id once known in this epoch, else null. */
  readonly leaderId: number | null;
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  /** True while this server serves clients (after UPTODATE, or leading with a quorum). */
  readonly serving: boolean;
  /** Leader only: learners connected to it; empty on other roles. */
  learners(): readonly LearnerView[];
  /** Leader only: forwarded syncs waiting for proposals to commit. */
  readonly pendingSyncs: number;
  /** Leader only: bytes of the last, smallest and largest proposal (-1 before the first). */
  readonly proposalSizes: { readonly last: number; readonly min: number; readonly max: number };
}
