import type { RandomSource } from './random.js';

/**
 * Delays between attempts: exponential from `baseDelayMs`, capped at `maxDelayMs`, with a random
 * part so a fleet that failed at once does not retry in step. Attempt n (from 0) has the ceiling
 * d = min(maxDelayMs, baseDelayMs·2ⁿ) and waits a delay drawn from [d·(1 − jitter), d], or from
 * [d·(1 − jitter), d·(1 + jitter)] when the spread is `around`.
 */
export interface BackoffPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Fraction of each delay that is random, 0..1. */
  readonly jitter: number;
  /** Where the random part lies: `below` d (the default) or `around` it. */
  readonly spread?: 'below' | 'around';
  /** How a delay becomes whole milliseconds: to the `nearest` (the default) or `down`. */
  readonly rounding?: 'nearest' | 'down';
}

/** Beyond this many doublings the cap always applies; keeps 2ⁿ finite. */
const MAX_EXPONENT = 30;

/** The delay before attempt `attempt` (0 for the first retry). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: RandomSource): number {
  const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(attempt, 0), MAX_EXPONENT));
  const r = Math.min(Math.max(random(), 0), 1);
  const width = policy.spread === 'around' ? 2 : 1;
  const ms = d * (1 - policy.jitter) + r * d * policy.jitter * width;
  return policy.rounding === 'down' ? Math.floor(ms) : Math.round(ms);
}

/** The attempts of one retry loop: `next()` gives each delay, `reset()` after a success. */
export class Backoff {
  private n = 0;

  constructor(private readonly policy: BackoffPolicy, private readonly random: RandomSource) {}

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.n;
  }

  /** The delay before the next attempt; counts the attempt. */
  next(): number {
    return backoffDelay(this.policy, this.n++, this.random);
  }

  reset(): void {
    this.n = 0;
  }
}
