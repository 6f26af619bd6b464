import { Code, CreateMode, WatcherType, joinPath } from '@paddock/coord-protocol';
import { checkOption } from '@paddock/edges';
import type { CoordClient } from '../../client.js';
import { MultiError, badArguments } from '../../errors.js';
import type { Data } from '../../types.js';
import { Deadline } from '../common/deadline.js';
import { checkTimeout, recipeEnv, type RecipeEnv, type RecipeOptions, type WaitOptions } from '../common/env.js';
import { RecipeError } from '../common/errors.js';
import { nextNodeEvent } from '../common/node-event.js';
import { ensurePath, recipePath } from '../common/paths.js';
import { createProtected } from '../common/protected-create.js';
import { recover, unless, withRetry } from '../common/retry.js';
import { LOCK_NAMES, protectedPrefix, sortBySequence } from '../common/sequence-names.js';
import { waitForEvent } from '../common/session.js';
import { WriteMarker } from '../common/write-marker.js';

export interface QueueOptions extends RecipeOptions {
  /** offer() fails with QueueFull when the queue node has this many children. Default: no bound. */
  readonly maxSize?: number;
}

const ITEMS: readonly string[] = [LOCK_NAMES.queueItem];

/**
 * A FIFO queue (ZooKeeper's queue recipe; Curator's DistributedQueue in use, not in layout):
 * items are persistent-sequential children of `path`, taken in sequence order by deleting
 * them. An offer whose reply is lost is found again by its protected name, and a take whose
 * reply is lost is settled by our write marker, so no item is added twice or taken by nobody.
 */
export class Queue {
  private readonly env: RecipeEnv;
  readonly path: string;
  private readonly marker: WriteMarker;
  private readonly maxSize: number;

  constructor(client: CoordClient, path: string, opts: QueueOptions = {}) {
    this.env = recipeEnv(client, opts);
    this.path = recipePath(path);
    this.maxSize = opts.maxSize ?? Infinity;
    if (this.maxSize !== Infinity) checkOption.intAtLeast('maxSize', this.maxSize, 1);
    this.marker = new WriteMarker(this.env, this.path);
  }

  /** Appends an item; resolves with its node path. */
  async offer(data: Data): Promise<string> {
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw badArguments('queue items are strings or bytes', this.path);
    if (this.maxSize !== Infinity) {
      const stat = await withRetry(this.env, `size of ${this.path}`, () => this.env.client.exists(this.path), this.path);
      if (stat !== null && stat.numChildren >= this.maxSize) throw new RecipeError('QueueFull', this.path, `the queue holds ${stat.numChildren} children (maxSize ${this.maxSize})`);
    }
    const prefix = protectedPrefix(this.env.newId());
    return (await createProtected(this.env, this.path, prefix, LOCK_NAMES.queueItem, data, CreateMode.PERSISTENT_SEQUENTIAL, Deadline.none()))!;
  }

  /** Takes the head item, or resolves null at once when the queue is empty. */
  async poll(): Promise<Buffer | null> {
    const names = await withRetry(this.env, `list ${this.path}`, () => unless(Code.NoNode, this.env.client.getChildren(this.path)), this.path);
    return names === null ? null : this.takeFirst(names);
  }

  /** Takes the head item, waiting for one; null when `timeoutMs` passed first. */
  async take(opts: WaitOptions = {}): Promise<Buffer | null> {
    const { env, path } = this;
    const deadline = Deadline.after(env.clock, checkTimeout(opts?.timeoutMs));
    try {
      for (let attempt = 1; !deadline.expired;) {
        try {
          // The child watch is set by the same read that finds the queue empty: no offer slips by.
          const { watcher, fired } = nextNodeEvent();
          const names = await unless(Code.NoNode, env.client.getChildren(path, watcher));
          if (names === null) {
            await ensurePath(env, path);
            continue;
          }
          const item = await this.takeFirst(names);
          if (item !== null) return item;
          if ((await waitForEvent(env, fired, deadline, path)) === 'timeout') {
            env.client.removeWatches(path, WatcherType.Children, watcher, true).catch(() => undefined);
            break;
          }
          attempt = 1;
        } catch (err) {
          if (err instanceof RecipeError) throw err;
          await recover(env, err, attempt++, `take from ${path}`, deadline, path);
        }
      }
      return null;
    } finally {
      deadline.dispose();
    }
  }

  /** Items waiting now. */
  async size(): Promise<number> {
    const names = await withRetry(this.env, `list ${this.path}`, () => unless(Code.NoNode, this.env.client.getChildren(this.path)), this.path);
    return names === null ? 0 : sortBySequence(names, ITEMS).length;
  }

  /** Tries the items in sequence order; another consumer may take each one first. */
  private async takeFirst(names: readonly string[]): Promise<Buffer | null> {
    for (const item of sortBySequence(names, ITEMS)) {
      const path = joinPath(this.path, item.name);
      const got = await withRetry(this.env, `read ${path}`, () => unless(Code.NoNode, this.env.client.getData(path)), path);
      if (got === null) continue;
      try {
        await this.marker.apply([{ type: 'delete', path, version: got.stat.version }]);
        return got.data;
      } catch (err) {
        if (err instanceof MultiError && err.failedOp === 0) continue;
        throw err;
      }
    }
    return null;
  }
}
