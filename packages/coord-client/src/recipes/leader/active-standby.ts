import { EventEmitter } from 'node:events';
import { OptionError, checkOption } from '@paddock/edges';
import type { CoordClient } from '../../client.js';
import { Coalescer } from '../common/coalescer.js';
import type { RecipeError } from '../common/errors.js';
import { LeaderElection, type LeaderElectionOptions } from './leader-election.js';

export interface ActiveStandbyOptions extends LeaderElectionOptions {
  /** Called when we are elected; the service starts doing the active one's work. */
  activate(): void | Promise<void>;
  /** Called when leadership is lost (or on close) after a successful activate(). */
  deactivate(): void | Promise<void>;
  /** Failed activations in a row before giving up (the election is closed); default 3. */
  readonly maxActivationFailures?: number;
}

export type ActiveStandbyEvents = {
  active: [];
  standby: [];
  failed: [phase: 'activate' | 'deactivate', err: unknown];
  closed: [reason: RecipeError | null];
};

/**
 * Active/standby on top of LeaderElection (as Hadoop's ActiveStandbyElector): the elected
 * participant is activated, and deactivated as soon as it loses leadership, including when
 * its connection drops. Calls never overlap; leadership changes during a call are applied
 * after it. A failed activate() resigns, so another participant gets its turn.
 */
export class ActiveStandby extends EventEmitter<ActiveStandbyEvents> {
  readonly election: LeaderElection;
  private active = false;
  private closing = false;
  private failures = 0;
  private readonly reconciler = new Coalescer(() => this.step());
  private readonly maxFailures: number;

  constructor(client: CoordClient, path: string, private readonly opts: ActiveStandbyOptions) {
    super();
    if (typeof opts?.activate !== 'function' || typeof opts.deactivate !== 'function') {
      throw new OptionError('activate', opts?.activate, { message: 'ActiveStandby needs activate and deactivate functions' });
    }
    this.maxFailures = checkOption.intAtLeast('maxActivationFailures', opts.maxActivationFailures ?? 3, 1);
    this.election = new LeaderElection(client, path, opts);
    this.election.on('leader', () => void this.reconcile());
    this.election.on('lost', () => void this.reconcile());
    this.election.on('closed', (reason) => {
      this.closing = true;
      void this.reconcile().then(() => this.emit('closed', reason));
    });
  }

  get isActive(): boolean {
    return this.active;
  }

  start(): Promise<void> {
    return this.election.start();
  }

  /** Deactivates, then leaves the election: the next one is activated only after we stopped. */
  async close(): Promise<void> {
    this.closing = true;
    await this.reconcile();
    await this.election.close();
    await this.reconcile();
  }

  /** Brings `active` in line with leadership, one call at a time. */
  private reconcile(): Promise<void> {
    return this.reconciler.run();
  }

  private async step(): Promise<void> {
    const wanted = this.election.isLeader && !this.closing;
    if (wanted && !this.active) await this.activate();
    else if (!wanted && this.active) await this.deactivate();
  }

  private async activate(): Promise<void> {
    try {
      await this.opts.activate();
      this.active = true;
      this.failures = 0;
      this.emit('active');
    } catch (err) {
      this.emit('failed', 'activate', err);
      if (++this.failures >= this.maxFailures) await this.election.close();
      else await this.election.resign().catch(() => undefined);
    }
    // Leadership may have moved while activate() ran.
    void this.reconcile();
  }

  private async deactivate(): Promise<void> {
    // Not active from here on: once leadership is gone we never claim to be.
    this.active = false;
    try {
      await this.opts.deactivate();
    } catch (err) {
      this.emit('failed', 'deactivate', err);
    }
    this.emit('standby');
  }
}
