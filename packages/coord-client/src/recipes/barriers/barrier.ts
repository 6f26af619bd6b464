import { Code, WatcherType } from '@paddock/coord-protocol';
import type { CoordClient } from '../../client.js';
import { Deadline } from '../common/deadline.js';
import { checkTimeout, recipeEnv, type RecipeEnv, type RecipeOptions, type WaitOptions } from '../common/env.js';
import { RecipeError } from '../common/errors.js';
import { nextNodeEvent } from '../common/node-event.js';
import { ensurePath, recipePath } from '../common/paths.js';
import { recover, unless, withRetry } from '../common/retry.js';
import { waitForEvent } from '../common/session.js';

/**
 * A barrier (Curator's DistributedBarrier): while the node at `path` exists, waiters block;
 * removing it lets them all through. Waiters watch the one node, so removal wakes each once.
 */
export class Barrier {
  private readonly env: RecipeEnv;
  readonly path: string;

  constructor(client: CoordClient, path: string, opts: RecipeOptions = {}) {
    this.env = recipeEnv(client, opts);
    this.path = recipePath(path);
  }

  /** Raises the barrier (creating missing parents); already raised is fine. */
  set(): Promise<void> {
    return ensurePath(this.env, this.path);
  }

  /** Lowers the barrier, releasing every waiter; already lowered is fine. */
  async remove(): Promise<void> {
    await withRetry(this.env, `remove barrier ${this.path}`, () => unless(Code.NoNode, this.env.client.delete(this.path)), this.path);
  }

  async isSet(): Promise<boolean> {
    return (await withRetry(this.env, `read barrier ${this.path}`, () => this.env.client.exists(this.path), this.path)) !== null;
  }

  /** Resolves true once the barrier is down (at once when it is not set), false on timeout. */
  async waitOnBarrier(opts: WaitOptions = {}): Promise<boolean> {
    const { env, path } = this;
    const deadline = Deadline.after(env.clock, checkTimeout(opts?.timeoutMs));
    try {
      for (let attempt = 1; ;) {
        if (deadline.expired) return false;
        try {
          // getData, not exists: on a missing node it leaves no watch behind.
          const { watcher, fired } = nextNodeEvent();
          if ((await unless(Code.NoNode, env.client.getData(path, watcher))) === null) return true;
          if ((await waitForEvent(env, fired, deadline, path)) === 'timeout') {
            env.client.removeWatches(path, WatcherType.Data, watcher, true).catch(() => undefined);
            return false;
          }
          attempt = 1;
        } catch (err) {
          if (err instanceof RecipeError) throw err;
          await recover(env, err, attempt++, `wait on barrier ${path}`, deadline, path);
        }
      }
    } finally {
      deadline.dispose();
    }
  }
}
