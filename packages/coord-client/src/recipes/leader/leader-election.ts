import { EventEmitter } from 'node:events';
import { Code, CreateMode, baseName, joinPath } from '@paddock/coord-protocol';
import { checkOption } from '@paddock/edges';
import type { CoordClient } from '../../client.js';
import { badArguments } from '../../errors.js';
import type { Watcher } from '../../types.js';
import { removeOwned } from '../common/cleanup.js';
import { Coalescer } from '../common/coalescer.js';
import { Deadline } from '../common/deadline.js';
import { recipeEnv, type RecipeEnv, type RecipeOptions } from '../common/env.js';
import { RecipeError } from '../common/errors.js';
import { recipePath } from '../common/paths.js';
import { createProtected } from '../common/protected-create.js';
import { asRecipeFailure, recover, unless } from '../common/retry.js';
import { LOCK_NAMES, protectedPrefix, sortBySequence } from '../common/sequence-names.js';
import { isConnected, watchSession } from '../common/session.js';

export interface LeaderElectionOptions extends RecipeOptions {
  /** This participant's id, stored in its candidate node; default a generated one. */
  readonly id?: string;
}

/**
 * `leader`: we lead now. `follower`: someone else leads. `lost`: we led and no longer do (the
 * connection dropped, the session ended, our node was deleted, resign() or close()).
 * `closed`: the election stopped, with the reason when it was not close().
 */
export type LeaderElectionEvents = {
  leader: [];
  follower: [];
  lost: [reason: RecipeError];
  closed: [reason: RecipeError | null];
};

export interface Participant {
  readonly id: string;
  readonly isLeader: boolean;
}

const CANDIDATES: readonly string[] = [LOCK_NAMES.latch];

/**
 * Leader election (ZooKeeper's recipe), Curator's LeaderLatch on the same path: candidates are
 * ephemeral-sequential `latch-` children of `path` holding their id; the first in Curator's
 * order leads, so Curator's latches and ours elect one leader together. Each follower watches
 * only its predecessor, the leader watches its own node. Leadership is given up as soon as the
 * connection drops (it may be lost by then) and taken back only once the same session is
 * confirmed, so two participants never both believe they lead while the ensemble agrees.
 */
export class LeaderElection extends EventEmitter<LeaderElectionEvents> {
  readonly id: string;
  readonly path: string;
  private readonly env: RecipeEnv;
  private state: 'idle' | 'running' | 'closed' = 'idle';
  private own: string | null = null;
  private role: 'none' | 'leader' | 'follower' = 'none';
  /** The client began closing its session: leadership is not taken again (see watchSession's closing). */
  private sessionClosing = false;
  private readonly checker = new Coalescer(() => this.checkOnce());
  private rejoins = 0;
  private endReason: RecipeError | null = null;
  private stopSession: (() => void) | null = null;
  // One watcher for every node we watch: the client holds it once per path, whatever we re-arm.
  private readonly watcher: Watcher = (e) => {
    if (e.path !== null && this.state === 'running') void this.trigger();
  };

  constructor(client: CoordClient, path: string, opts: LeaderElectionOptions = {}) {
    super();
    this.env = recipeEnv(client, opts);
    this.path = recipePath(path);
    this.id = opts.id === undefined ? this.env.newId() : checkOption.nonEmptyString('id', opts.id);
  }

  get isLeader(): boolean {
    return this.role === 'leader';
  }

  /** Joins the election; resolves once we know whether we lead (after `leader` or `follower`). */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw badArguments('start() may be called once', this.path);
    this.state = 'running';
    this.stopSession = watchSession(this.env.client, {
      suspended: () => this.demote(new RecipeError('Suspended', this.path)),
      resumed: () => void this.trigger(),
      // The leader must have stopped before the server deletes its node and tells the next one.
      closing: (err) => {
        this.sessionClosing = true;
        this.demote(err);
      },
      ended: (err) => this.end(err),
    }, this.path);
    await this.trigger();
    // Narrowing does not know the election may have ended meanwhile (session lost, close()).
    if ((this.state as string) === 'closed') throw this.endReason ?? new RecipeError('Closed', this.path);
  }

  /** Leaves the election (deleting our node), after `lost` if we led. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const own = this.own;
    this.own = null;
    this.end(null);
    if (own !== null) await removeOwned(this.env, { path: own });
  }

  /** Gives up leadership (or our place) by re-joining at the back of the queue. */
  async resign(): Promise<void> {
    if (this.state !== 'running') throw new RecipeError('Closed', this.path);
    const old = this.own;
    this.demote(new RecipeError('Resigned', this.path));
    await this.join();
    if (old !== null) await removeOwned(this.env, { path: old });
    await this.trigger();
  }

  /** Candidates in queue order with their ids; the first leads. */
  async participants(): Promise<Participant[]> {
    const names = sortBySequence((await unless(Code.NoNode, this.env.client.getChildren(this.path))) ?? [], CANDIDATES);
    const read = await Promise.all(names.map((n) => unless(Code.NoNode, this.env.client.getData(joinPath(this.path, n.name)))));
    const present = read.filter((r) => r !== null);
    return present.map((r, i) => ({ id: r.data.toString('utf8'), isLeader: i === 0 }));
  }

  private async join(): Promise<void> {
    const prefix = protectedPrefix(this.env.newId());
    const own = await createProtected(this.env, this.path, prefix, LOCK_NAMES.latch, this.id, CreateMode.EPHEMERAL_SEQUENTIAL, Deadline.none());
    if (this.state === 'running') this.own = own;
    else if (own !== null) await removeOwned(this.env, { path: own });
  }

  /** Runs check() now, or once more after the running one (events coalesce). */
  private trigger(): Promise<void> {
    return this.checker.run();
  }

  private async checkOnce(): Promise<void> {
    try {
      await this.check();
    } catch (err) {
      const failure = asRecipeFailure(this.env, err, this.path);
      // Anything else (an unexpected server error, a throwing listener) stops the election visibly.
      this.end(failure instanceof RecipeError ? failure : new RecipeError('Closed', this.path, `stopped by ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    }
  }

  private async check(): Promise<void> {
    const { client } = this.env;
    for (let attempt = 1; this.state === 'running';) {
      try {
        if (this.own === null) await this.join();
        const own = this.own;
        if (own === null) return;
        const sorted = sortBySequence(await client.getChildren(this.path), CANDIDATES);
        const index = sorted.findIndex((n) => n.name === baseName(own));
        if (index < 0) {
          // Deleted by someone else while our session lives: re-join, within the bound.
          this.demote(new RecipeError('NodeLost', own));
          if (++this.rejoins > this.env.maxAttempts) throw new RecipeError('NodeLost', own, 'our candidate node keeps being deleted');
          if (this.own === own) this.own = null;
          continue;
        }
        const watched = index === 0 ? own : joinPath(this.path, sorted[index - 1]!.name);
        if ((await unless(Code.NoNode, client.getData(watched, this.watcher))) === null) continue;
        // A resign() or a dropped connection since the read: the next check decides.
        if (this.own !== own || this.state !== 'running' || !isConnected(client.state) || this.sessionClosing) return;
        this.setRole(index === 0 ? 'leader' : 'follower');
        return;
      } catch (err) {
        if (err instanceof RecipeError) throw err;
        await recover(this.env, err, attempt++, `leader election ${this.path}`, Deadline.none(), this.path);
      }
    }
  }

  private setRole(next: 'leader' | 'follower'): void {
    if (this.role === next) return;
    if (this.role === 'leader') this.demote(new RecipeError('NodeLost', this.path));
    this.role = next;
    this.emit(next);
  }

  /** Leaves the leader role (if we had it) and says why. */
  private demote(reason: RecipeError): void {
    if (this.role !== 'leader') return;
    this.role = 'none';
    this.emit('lost', reason);
  }

  private end(reason: RecipeError | null): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.endReason = reason;
    this.stopSession?.();
    this.demote(reason ?? new RecipeError('Closed', this.path));
    this.role = 'none';
    this.emit('closed', reason);
  }
}
