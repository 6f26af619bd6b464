import type { BackoffPolicy } from '@paddock/edges';

/**
 * Delays between attempts to get a new session: exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, with a random part so a fleet that lost its sessions at once does not come back
 * in step. The delay of attempt n is drawn from [d·(1 − jitter), d] with d = min(max, base·2ⁿ).
 */
export interface BackoffOptions {
  /** First delay; default 100 ms. */
  readonly baseDelayMs?: number;
  /** Ceiling of the delay; default 10 s. */
  readonly maxDelayMs?: number;
  /** Fraction of each delay that is random, 0..1; default 0.5. */
  readonly jitter?: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 100, maxDelayMs: 10_000, jitter: 0.5 };
