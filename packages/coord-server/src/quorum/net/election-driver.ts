import type { Clock } from '@paddock/edges';
import { DeadlineTimer } from './deadline-timer.js';
import type { ElectionOutput, FastLeaderElection } from '../election/fast-leader-election.js';
import type { Notification, PeerState, Vote } from '../election/vote.js';

/** The outcome of one election: this server's new state and the vote it decided on. */
export interface Decision {
  readonly state: Exclude<PeerState, 'looking'>;
  readonly vote: Vote;
}

/** Where notifications go; ElectionLinks in production, a simulated network in tests. */
export interface NotificationSender {
  send(to: number, n: Notification): void;
}

/**
 * Runs fast leader election on real time: feeds it what arrives, ticks it at the deadline it
 * asks for, sends what it says. The one place election meets a clock.
 */
export class ElectionDriver {
  private readonly timer: DeadlineTimer;
  private waiting: ((d: Decision | null) => void) | null = null;
  private stopped = false;

  constructor(
    readonly election: FastLeaderElection,
    private readonly links: NotificationSender,
    private readonly clock: Clock,
  ) {
    this.timer = new DeadlineTimer(clock);
  }

  /** Starts a round and resolves with its decision, or null if stopped first. */
  lookForLeader(lastZxid: number, currentEpoch: number): Promise<Decision | null> {
    const decided = new Promise<Decision | null>((resolve) => {
      this.waiting = resolve;
    });
    this.apply(this.election.lookForLeader(this.clock.monotonic(), lastZxid, currentEpoch));
    return decided;
  }

  /** A notification off the wire. Out of election the machine still answers lookers. */
  onNotification(from: number, n: Notification): void {
    if (!this.stopped) this.apply(this.election.receive(this.clock.monotonic(), from, n));
  }

  stop(): void {
    this.stopped = true;
    this.timer.clear();
    this.decide(null);
  }

  private apply(outs: readonly ElectionOutput[]): void {
    for (const o of outs) {
      if (o.kind === 'send') this.links.send(o.to, o.notification);
      else this.decide({ state: o.state, vote: o.vote });
    }
    this.arm();
  }

  private decide(d: Decision | null): void {
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.(d);
  }

  private arm(): void {
    if (this.stopped) return this.timer.clear();
    this.timer.arm(this.election.deadline(), (now) => {
      if (!this.stopped) this.apply(this.election.tick(now));
    });
  }
}
