import { Code, KeeperError } from '@paddock/coord-protocol';
import { backoffDelay } from '@paddock/edges';
import { Deadline } from './deadline.js';
import type { RecipeEnv } from './env.js';
import { RecipeError } from './errors.js';
import { sessionLost, whenConnected } from './session.js';

/** Failures after which the same call may be tried again on the same session. */
const RETRYABLE: ReadonlySet<number> = new Set([Code.ConnectionLoss, Code.OperationTimeout]);
/** Failures that mean the session is gone: nothing held through it survives. */
const SESSION_GONE: ReadonlySet<number> = new Set([Code.SessionExpired, Code.SessionMoved, Code.AuthFailed]);

export function isKeeperCode(err: unknown, code: number): err is KeeperError {
  return err instanceof KeeperError && err.code === code;
}

export function isRetryable(err: unknown): boolean {
  return err instanceof KeeperError && RETRYABLE.has(err.code);
}

/** Session-ending KeeperErrors become SessionLost (keeping the cause); others pass unchanged. */
export function asRecipeFailure(env: RecipeEnv, err: unknown, path?: string): unknown {
  if (err instanceof KeeperError && SESSION_GONE.has(err.code)) {
    const lost = sessionLost(env.client, path);
    (lost as { cause?: unknown }).cause = err;
    return lost;
  }
  return err;
}

/** The pause after attempt `attempt` (from 1) failed: the env's capped exponential backoff. */
export function backoffMs(env: RecipeEnv, attempt: number): number {
  return backoffDelay(env.backoff, attempt - 1, env.random);
}

/** Waits `ms` on the recipe's clock, or less when the deadline comes first. */
export function sleep(env: RecipeEnv, ms: number, deadline = Deadline.none()): Promise<unknown> {
  if (ms <= 0) return Promise.resolve();
  let timer: unknown;
  const slept = new Promise<void>((resolve) => { timer = env.clock.setTimeout(resolve, ms); });
  return deadline.race(slept).finally(() => env.clock.clearTimeout(timer));
}

/**
 * Called after attempt `attempt` of a step failed with `err`: rethrows what retrying cannot fix
 * (mapping a lost session to SessionLost), gives up with RetriesExhausted at the bound, and
 * otherwise waits for the client to be connected again plus a short backoff. Returns early
 * when the deadline is reached; the caller checks it.
 */
export async function recover(env: RecipeEnv, err: unknown, attempt: number, what: string, deadline = Deadline.none(), path?: string): Promise<void> {
  if (!isRetryable(err)) throw asRecipeFailure(env, err, path);
  if (attempt >= env.maxAttempts) {
    throw new RecipeError('RetriesExhausted', path, `${what}: still failing after ${attempt} attempts`, { cause: err });
  }
  if (!(await whenConnected(env, deadline, path))) return;
  await sleep(env, backoffMs(env, attempt), deadline);
}

/** Runs an idempotent step, retrying it across connection losses within the bound. */
export async function withRetry<T>(env: RecipeEnv, what: string, fn: () => Promise<T>, path?: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      await recover(env, err, attempt, what, Deadline.none(), path);
    }
  }
}

/** Resolves with the step's value, or null when it failed with `code` (e.g. NoNode for a read). */
export async function unless<T>(code: number, p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (isKeeperCode(err, code)) return null;
    throw err;
  }
}
