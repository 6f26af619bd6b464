import { NONE, type Notification, type PeerState, type Vote, isNewer, sameVote } from './vote.js';

/** What election needs to know of the ensemble. */
export interface ElectionView {
  readonly myId: number;
  /** Ids of the voting members (participants). */
  readonly voters: readonly number[];
  /** Is this server an observer (it learns the leader but never votes)? */
  readonly observer: boolean;
  /** The ensemble config text sent in every notification (version-2 messages). */
  readonly config: string;
}

export interface ElectionTimings {
  /** How long a quorum's agreement must stand unchallenged before it is final. ZooKeeper: 200 ms. */
  readonly finalizeWait: number;
  /** First resend interval when nothing arrives; it doubles up to the max. ZooKeeper: 200 ms. */
  readonly minNotificationInterval: number;
  /** ZooKeeper: 60 s. */
  readonly maxNotificationInterval: number;
}

export const ZOOKEEPER_TIMINGS: ElectionTimings = { finalizeWait: 200, minNotificationInterval: 200, maxNotificationInterval: 60_000 };

export type ElectionOutput =
  | { readonly kind: 'send'; readonly to: number; readonly notification: Notification }
  | { readonly kind: 'decided'; readonly state: Exclude<PeerState, 'looking'>; readonly vote: Vote };

/**
 * Fast leader election as ZooKeeper 3.8 runs it, as a pure state machine: notifications,
 * ticks and "look for a leader" go in with the time; notifications to send and the decision
 * come out. No sockets, no timers, no clock: the caller passes `now` (milliseconds, any
 * monotonic origin) and calls `tick` at `deadline()`.
 *
 * A voter starts by voting for itself; it adopts any vote newer by (peer epoch, zxid, id),
 * tells every voter, and once a quorum agrees with its vote it waits `finalizeWait` for a
 * newer one before deciding. A server that joins late learns the outcome from the FOLLOWING
 * and LEADING answers of servers already out of election.
 */
export class FastLeaderElection {
  state: PeerState = 'looking';
  /** The round of election; a newer round resets the votes gathered. */
  logicalClock = 0;
  /** The vote this server stands by: its last decision, or its first vote before that. */
  currentVote: Vote;
  private proposal: Vote;
  private initial: Vote;
  private readonly received = new Map<number, Notification>();
  private readonly outOfElection = new Map<number, Notification>();
  private readonly voterSet: ReadonlySet<number>;
  private notificationInterval: number;
  private timer = Number.POSITIVE_INFINITY;
  private finalizing = false;
  private decided = false;
  private readonly loopback: Notification[] = [];
  private out: ElectionOutput[] = [];

  constructor(
    private readonly view: ElectionView,
    private readonly timings: ElectionTimings = ZOOKEEPER_TIMINGS,
  ) {
    this.voterSet = new Set(view.voters);
    this.initial = this.firstVote(NONE, NONE);
    this.proposal = this.initial;
    this.currentVote = this.initial;
    this.notificationInterval = timings.minNotificationInterval;
  }

  /** When `tick` wants to be called next (Infinity: not until something arrives). */
  deadline(): number {
    return this.state === 'looking' ? this.timer : Number.POSITIVE_INFINITY;
  }

  /**
   * Starts a round: this server is LOOKING, votes for itself with its last logged zxid and
   * current epoch, and tells every voter.
   */
  lookForLeader(now: number, lastZxid: number, currentEpoch: number): ElectionOutput[] {
    this.state = 'looking';
    this.logicalClock += 1;
    this.received.clear();
    this.outOfElection.clear();
    this.finalizing = false;
    this.initial = this.firstVote(lastZxid, currentEpoch);
    // Before the first decision, the vote we stand by is ourselves (ZooKeeper's startLeaderElection).
    if (!this.decided) this.currentVote = { leader: this.view.myId, zxid: lastZxid, electionEpoch: 0, peerEpoch: currentEpoch };
    this.proposal = this.initial;
    this.notificationInterval = this.timings.minNotificationInterval;
    this.timer = now + this.notificationInterval;
    this.sendToVoters();
    return this.flush(now);
  }

  /** A notification from server `from` (the network layer already decoded it). */
  receive(now: number, from: number, n: Notification): ElectionOutput[] {
    this.accept(now, from, n);
    return this.flush(now);
  }

  /** Time passed: resend when nothing came for a while, or decide when the finalize wait is over. */
  tick(now: number): ElectionOutput[] {
    if (this.state !== 'looking' || now < this.timer) return [];
    if (this.finalizing) {
      this.decide(this.proposal.leader, { ...this.proposal, electionEpoch: this.logicalClock });
    } else {
      this.sendToVoters();
      this.notificationInterval = Math.min(this.notificationInterval * 2, this.timings.maxNotificationInterval);
      this.timer = now + this.notificationInterval;
    }
    return this.flush(now);
  }

  /** The leader's new epoch is known (ZooKeeper's updateElectionVote): answers carry it. */
  updatePeerEpoch(epoch: number): void {
    this.currentVote = { ...this.currentVote, peerEpoch: epoch };
  }

  private firstVote(lastZxid: number, currentEpoch: number): Vote {
    const { myId, observer } = this.view;
    return {
      leader: this.voterSet.has(myId) ? myId : NONE,
      zxid: observer ? NONE : lastZxid,
      electionEpoch: this.logicalClock,
      peerEpoch: observer ? NONE : currentEpoch,
    };
  }

  private flush(now: number): ElectionOutput[] {
    while (this.loopback.length > 0) this.accept(now, this.view.myId, this.loopback.shift()!);
    const out = this.out;
    this.out = [];
    return out;
  }

  private send(to: number, vote: Vote, electionEpoch: number): void {
    const n: Notification = { ...pick(vote), electionEpoch, state: this.state, version: 2, config: this.view.config };
    if (to === this.view.myId) this.loopback.push(n);
    else this.out.push({ kind: 'send', to, notification: n });
  }

  private sendToVoters(): void {
    for (const id of this.view.voters) this.send(id, this.proposal, this.logicalClock);
  }

  /** What the receiving thread does before election sees a message: answer those who need it. */
  private accept(now: number, from: number, n: Notification): void {
    if (!this.voterSet.has(from)) {
      // Observers (and unknown servers) get our standing vote at once, whatever our state.
      this.send(from, this.currentVote, this.logicalClock);
      return;
    }
    if (this.state === 'looking') {
      if (n.state === 'looking' && n.electionEpoch < this.logicalClock) this.send(from, this.proposal, this.logicalClock);
      this.elect(now, from, n);
    } else if (n.state === 'looking') {
      // Out of election: a looking voter learns whom we follow or lead.
      this.send(from, this.currentVote, this.currentVote.electionEpoch);
    }
  }

  private canLead(id: number): boolean {
    return this.voterSet.has(id);
  }

  private newerThanProposal(n: Vote): boolean {
    return this.canLead(n.leader) && isNewer(n, this.proposal);
  }

  /** One turn of ZooKeeper's lookForLeader loop. */
  private elect(now: number, from: number, n: Notification): void {
    if (this.finalizing) {
      // A quorum agrees: only a newer vote reopens the question; others are dropped, and
      // each one restarts the wait.
      if (!this.newerThanProposal(n)) {
        this.timer = now + this.timings.finalizeWait;
        return;
      }
      this.finalizing = false;
    }
    this.timer = now + this.notificationInterval;
    if (!this.canLead(n.leader)) return;
    if (n.state === 'looking') this.electAmongLooking(now, from, n);
    else if (n.state === 'following' || n.state === 'leading') this.learnOutcome(from, n);
  }

  private electAmongLooking(now: number, from: number, n: Notification): void {
    if (this.initial.zxid === -1 || n.zxid === -1) return;
    if (n.electionEpoch > this.logicalClock) {
      this.logicalClock = n.electionEpoch;
      this.received.clear();
      this.proposal = this.canLead(n.leader) && isNewer(n, this.initial) ? pick(n) : this.initial;
      this.sendToVoters();
    } else if (n.electionEpoch < this.logicalClock) {
      return;
    } else if (this.newerThanProposal(n)) {
      this.proposal = pick(n);
      this.sendToVoters();
    }
    this.received.set(from, unversioned(n));
    const mine: Notification = { ...this.proposal, electionEpoch: this.logicalClock, state: 'looking', version: 2, config: null };
    if (this.hasQuorum(this.received, mine)) {
      this.finalizing = true;
      this.timer = now + this.timings.finalizeWait;
    }
  }

  /** A voter that is already following or leading: join it once a quorum says so. */
  private learnOutcome(from: number, n: Notification): void {
    const endVote: Vote = pick(n);
    if (n.electionEpoch === this.logicalClock) {
      this.received.set(from, unversioned(n));
      if (this.hasQuorum(this.received, n) && this.leaderConfirmed(this.received, n)) {
        this.decide(n.leader, { ...endVote, electionEpoch: n.electionEpoch });
        return;
      }
    }
    this.outOfElection.set(from, n);
    if (this.hasQuorum(this.outOfElection, n) && this.leaderConfirmed(this.outOfElection, n)) {
      this.logicalClock = n.electionEpoch;
      this.decide(n.leader, { ...endVote, electionEpoch: n.electionEpoch });
    }
  }

  private hasQuorum(votes: ReadonlyMap<number, Notification>, vote: Notification): boolean {
    let agree = 0;
    for (const [id, v] of votes) if (this.voterSet.has(id) && sameVote(vote, v)) agree++;
    return agree * 2 > this.voterSet.size;
  }

  /** The proposed leader must say itself that it leads (unless it is us, in this round). */
  private leaderConfirmed(votes: ReadonlyMap<number, Notification>, n: Notification): boolean {
    if (n.leader !== this.view.myId) return votes.get(n.leader)?.state === 'leading';
    return this.logicalClock === n.electionEpoch;
  }

  private decide(leader: number, vote: Vote): void {
    const state = leader === this.view.myId ? 'leading' : this.view.observer ? 'observing' : 'following';
    this.state = state;
    this.decided = true;
    this.currentVote = vote;
    this.finalizing = false;
    this.timer = Number.POSITIVE_INFINITY;
    this.loopback.length = 0;
    this.out.push({ kind: 'decided', state, vote });
  }
}

/**
 * ZooKeeper files votes of the current round without their message version, so a decided
 * vote compared with them matches on the leader alone; keep that, or a mixed ensemble could
 * disagree on when a quorum is reached.
 */
function unversioned(n: Notification): Notification {
  return n.version === 0 ? n : { ...n, version: 0 };
}

function pick(v: Vote): Vote {
  return { leader: v.leader, zxid: v.zxid, electionEpoch: v.electionEpoch, peerEpoch: v.peerEpoch };
}
