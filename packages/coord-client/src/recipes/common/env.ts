import { randomUUID } from 'node:crypto';
import { OptionError, checkOption, systemClock, type BackoffPolicy, type Clock } from '@paddock/edges';
import type { CoordClient } from '../../client.js';

/** How a recipe retries ZooKeeper calls that failed with ConnectionLoss. */
export interface RecipeRetryOptions {
  /** Tries per step before giving up with RetriesExhausted; default 10. */
  readonly maxAttempts?: number;
  /** First backoff after a loss, doubling per attempt with jitter; default 20 ms. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /**
   * How long one retry waits for the client to reconnect; default twice the session timeout,
   * after which a cut-off session is surely expired on the server anyway.
   */
  readonly reconnectTimeoutMs?: number;
}

/** Options every recipe takes: the injectable edges (time, randomness, ids) and the retry bound. */
export interface RecipeOptions {
  readonly retry?: RecipeRetryOptions;
  /** Timeouts and backoff; tests pass a manual clock. */
  readonly clock?: Clock;
  /** Random source in [0, 1) for backoff jitter. */
  readonly random?: () => number;
  /**
   * Unique ids for protected node names (default: crypto.randomUUID). Keep them UUIDs where
   * Curator shares the path: Curator tells its protected names (`_c_<uuid>-`) by the UUID.
   */
  readonly newId?: () => string;
}

/** What a recipe works with: the client plus resolved options. */
export interface RecipeEnv {
  readonly client: CoordClient;
  readonly clock: Clock;
  readonly random: () => number;
  readonly maxAttempts: number;
  /** Between retries of a step: doubling from retry.baseDelayMs, jitter in [50%, 100%]. */
  readonly backoff: BackoffPolicy;
  reconnectTimeoutMs(): number;
  newId(): string;
}

function int(name: string, value: number | undefined, fallback: number, min: number): number {
  return value === undefined ? fallback : checkOption.intAtLeast(name, value, min);
}

/** Ids go into node names, so they must be non-empty and free of '/'. */
function checkedId(make: () => string): () => string {
  return () => {
    const id = make();
    if (typeof id !== 'string' || id === '' || id.includes('/')) throw new OptionError('newId', id, { message: `newId() must return a non-empty string without '/', got ${JSON.stringify(id)}` });
    return id;
  };
}

export function recipeEnv(client: CoordClient, opts: RecipeOptions = {}): RecipeEnv {
  if (client === null || typeof client !== 'object' || typeof client.getChildren !== 'function') {
    throw new OptionError('client', client, { message: 'a recipe needs a connected CoordClient' });
  }
  const retry = opts.retry ?? {};
  const reconnect = retry.reconnectTimeoutMs === undefined ? undefined : int('retry.reconnectTimeoutMs', retry.reconnectTimeoutMs, 0, 1);
  return {
    client,
    clock: opts.clock ?? systemClock,
    random: opts.random ?? Math.random,
    maxAttempts: int('retry.maxAttempts', retry.maxAttempts, 10, 1),
    backoff: {
      baseDelayMs: int('retry.baseDelayMs', retry.baseDelayMs, 20, 0),
      maxDelayMs: int('retry.maxDelayMs', retry.maxDelayMs, 1000, 0),
      jitter: 0.5,
      rounding: 'down',
    },
    reconnectTimeoutMs: () => reconnect ?? Math.max(2 * client.sessionTimeout, 1000),
    newId: checkedId(opts.newId ?? randomUUID),
  };
}

/** The timeout of a wait (barriers, double barriers, a queue's take); checked by checkTimeout. */
export interface WaitOptions {
  /** Give up after this many ms (the call resolves false). Default: wait. */
  readonly timeoutMs?: number;
}

/** A timeout option: absent (wait without limit) or a non-negative number of ms. */
export function checkTimeout(timeoutMs: number | undefined): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0) || !Number.isFinite(timeoutMs)) {
    throw new OptionError('timeoutMs', timeoutMs, 'must be a non-negative number of ms');
  }
  return timeoutMs;
}
