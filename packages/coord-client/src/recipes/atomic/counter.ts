import { Code, parentPath } from '@paddock/coord-protocol';
import { checkOption } from '@paddock/edges';
import type { CoordClient } from '../../client.js';
import { MultiError, badArguments } from '../../errors.js';
import { recipeEnv, type RecipeEnv, type RecipeOptions } from '../common/env.js';
import { RecipeError } from '../common/errors.js';
import { ensurePath, recipePath } from '../common/paths.js';
import { isKeeperCode, sleep, unless, withRetry } from '../common/retry.js';
import { WriteMarker } from '../common/write-marker.js';

export interface CounterOptions extends RecipeOptions {
  /** Compare-and-set rounds lost to other writers (BadVersion) before RetriesExhausted; default 100. */
  readonly maxContention?: number;
}

const INTEGER = /^-?\d+$/;

/**
 * A shared integer (Curator's DistributedAtomicLong): the value is the node's data in decimal,
 * changed by versioned setData, so concurrent writers never lose an update; a writer that
 * lost the race (BadVersion) reads again, within a bound. Our write marker, a child of the
 * counter node, settles writes whose reply was lost, so add() never applies twice.
 */
export class Counter {
  private readonly env: RecipeEnv;
  readonly path: string;
  private readonly marker: WriteMarker;
  private readonly maxContention: number;

  constructor(client: CoordClient, path: string, opts: CounterOptions = {}) {
    this.env = recipeEnv(client, opts);
    this.path = recipePath(path);
    if (this.path === '/') throw badArguments('a counter needs a node of its own, not /', path);
    this.maxContention = checkOption.intAtLeast('maxContention', opts.maxContention ?? 100, 1);
    this.marker = new WriteMarker(this.env, this.path);
  }

  /** The current value; 0 when the counter was never written. */
  async get(): Promise<number> {
    return (await this.read()).value;
  }

  /** Adds `delta` (may be negative); resolves with the new value. */
  async add(delta: number): Promise<number> {
    if (!Number.isSafeInteger(delta)) throw badArguments(`delta must be a safe integer, got ${String(delta)}`, this.path);
    for (let round = 1; ; round++) {
      const { value, version } = await this.read();
      const next = value + delta;
      if (!Number.isSafeInteger(next)) throw new RecipeError('BadData', this.path, `${value} + ${delta} leaves the safe integer range`);
      if (await this.write(next, version, round)) return next;
    }
  }

  /** Sets `next` if the value is `expected`; false when it is not. */
  async compareAndSet(expected: number, next: number): Promise<boolean> {
    if (!Number.isSafeInteger(expected) || !Number.isSafeInteger(next)) throw badArguments('compareAndSet takes safe integers', this.path);
    for (let round = 1; ; round++) {
      const { value, version } = await this.read();
      if (value !== expected) return false;
      if (await this.write(next, version, round)) return true;
    }
  }

  /** The value, and the version to write against (null: the node does not exist yet). */
  private async read(): Promise<{ value: number; version: number | null }> {
    const got = await withRetry(this.env, `read ${this.path}`, () => unless(Code.NoNode, this.env.client.getData(this.path)), this.path);
    if (got === null) return { value: 0, version: null };
    const text = got.data.toString('utf8');
    const value = text === '' ? 0 : Number(text);
    if ((text !== '' && !INTEGER.test(text)) || !Number.isSafeInteger(value)) throw new RecipeError('BadData', this.path, `counter data ${JSON.stringify(text.slice(0, 40))} is not an integer`);
    return { value, version: got.stat.version };
  }

  /** True when written; false when another writer came first (then after a short backoff). */
  private async write(next: number, version: number | null, round: number): Promise<boolean> {
    if (version === null) {
      await this.create();
      return false; // read again: the node exists now
    }
    try {
      await this.marker.apply([{ type: 'setData', path: this.path, data: String(next), version }]);
      return true;
    } catch (err) {
      if (!(err instanceof MultiError && err.failedOp === 0 && err.code === Code.BadVersion)) throw err;
    }
    if (round >= this.maxContention) throw new RecipeError('RetriesExhausted', this.path, `lost ${round} compare-and-set rounds to other writers`);
    // Jittered and growing with the rounds lost, so contenders spread out.
    await sleep(this.env, Math.floor(this.env.random() * Math.min(this.env.backoff.maxDelayMs, this.env.backoff.baseDelayMs * round)));
    return false;
  }

  /** The counter node (value 0) must exist before our marker can be its child. */
  private async create(): Promise<void> {
    await withRetry(this.env, `create ${this.path}`, async () => {
      try {
        await this.env.client.create(this.path, '0');
      } catch (err) {
        if (isKeeperCode(err, Code.NodeExists)) return;
        if (!isKeeperCode(err, Code.NoNode)) throw err;
        await ensurePath(this.env, parentPath(this.path));
        await unless(Code.NodeExists, this.env.client.create(this.path, '0'));
      }
    }, this.path);
  }
}
