import { Code, CreateMode, WatcherType, joinPath } from '@paddock/coord-protocol';
import { checkOption } from '@paddock/edges';
import type { CoordClient } from '../../client.js';
import { removeOwned } from '../common/cleanup.js';
import { Deadline } from '../common/deadline.js';
import { checkTimeout, recipeEnv, type RecipeEnv, type RecipeOptions, type WaitOptions } from '../common/env.js';
import { RecipeError } from '../common/errors.js';
import { nextNodeEvent } from '../common/node-event.js';
import { ensurePath, recipePath } from '../common/paths.js';
import { recover, unless, withRetry } from '../common/retry.js';
import { waitForEvent } from '../common/session.js';

const READY = 'ready';

/**
 * A double barrier (ZooKeeper's recipe, Curator's DistributedDoubleBarrier): `enter()` blocks
 * until `memberCount` members have entered, `leave()` until all have left. Members are
 * ephemeral children of `path`; the one that completes the count creates `ready`, which the
 * others watch. Leaving follows the recipe's lowest/highest scheme, so each member watches
 * one node at a time. Reuse a path only once every member's leave() has returned.
 */
export class DoubleBarrier {
  private readonly env: RecipeEnv;
  readonly path: string;
  private readonly ready: string;
  private readonly member: string;
  private readonly memberName: string;

  constructor(client: CoordClient, path: string, readonly memberCount: number, opts: RecipeOptions = {}) {
    this.env = recipeEnv(client, opts);
    this.path = recipePath(path);
    checkOption.intAtLeast('memberCount', memberCount, 1);
    this.ready = joinPath(path, READY);
    this.memberName = `m-${this.env.newId()}`;
    this.member = joinPath(path, this.memberName);
  }

  /** Joins; resolves true once `memberCount` members are in, false on timeout (having left again). */
  async enter(opts: WaitOptions = {}): Promise<boolean> {
    const { env, path } = this;
    const deadline = Deadline.after(env.clock, checkTimeout(opts?.timeoutMs));
    try {
      await ensurePath(env, path);
      // A fixed name of ours: NodeExists after a lost reply means the create went through.
      await withRetry(env, `enter ${path}`, () => unless(Code.NodeExists, env.client.create(this.member, null, { mode: CreateMode.EPHEMERAL })), path);
      for (let attempt = 1; !deadline.expired;) {
        try {
          const { watcher, fired } = nextNodeEvent();
          if ((await env.client.exists(this.ready, watcher)) !== null) return true;
          if ((await this.members()).length >= this.memberCount) {
            await unless(Code.NodeExists, env.client.create(this.ready));
            return true;
          }
          if ((await waitForEvent(env, fired, deadline, path)) === 'timeout') {
            env.client.removeWatches(this.ready, WatcherType.Data, watcher, true).catch(() => undefined);
            break;
          }
          attempt = 1;
        } catch (err) {
          if (err instanceof RecipeError) throw err;
          await recover(env, err, attempt++, `enter ${path}`, deadline, path);
        }
      }
      await removeOwned(env, { path: this.member });
      return false;
    } finally {
      deadline.dispose();
    }
  }

  /** Leaves; resolves true once every member has left, false on timeout (our node removed anyway). */
  async leave(opts: WaitOptions = {}): Promise<boolean> {
    const { env, path } = this;
    const deadline = Deadline.after(env.clock, checkTimeout(opts?.timeoutMs));
    try {
      for (let attempt = 1; !deadline.expired;) {
        try {
          const target = await this.leaveStep();
          if (target === null) return true;
          const { watcher, fired } = nextNodeEvent();
          const targetPath = joinPath(path, target);
          if ((await unless(Code.NoNode, env.client.getData(targetPath, watcher))) === null) continue;
          if ((await waitForEvent(env, fired, deadline, path)) === 'timeout') {
            env.client.removeWatches(targetPath, WatcherType.Data, watcher, true).catch(() => undefined);
            break;
          }
          attempt = 1;
        } catch (err) {
          if (err instanceof RecipeError) throw err;
          await recover(env, err, attempt++, `leave ${path}`, deadline, path);
        }
      }
      await removeOwned(env, { path: this.member });
      return false;
    } finally {
      deadline.dispose();
    }
  }

  /**
   * One step of the recipe's leave: null when done; else the member to wait for. The lowest
   * member waits for the highest; the others delete their node and wait for the lowest.
   */
  private async leaveStep(): Promise<string | null> {
    const { client } = this.env;
    const members = (await this.members()).sort();
    const mine = members.includes(this.memberName);
    if (members.length === 0 || (members.length === 1 && mine)) {
      if (mine) await unless(Code.NoNode, client.delete(this.member));
      // The last one out lowers `ready`, so the path can be used for another round.
      await unless(Code.NoNode, client.delete(this.ready));
      return null;
    }
    if (mine && members[0] === this.memberName) return members[members.length - 1]!;
    if (mine) await unless(Code.NoNode, client.delete(this.member));
    return members[0]!;
  }

  private async members(): Promise<string[]> {
    return (await this.env.client.getChildren(this.path)).filter((n) => n !== READY);
  }
}
