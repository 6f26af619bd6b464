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

export interface ResolvedBackoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: ResolvedBackoff = { baseDelayMs: 100, maxDelayMs: 10_000, jitter: 0.5 };

/** Beyond this many doublings the cap always applies; stops 2ⁿ from overflowing. */
const MAX_EXPONENT = 30;

export class Backoff {
  private n = 0;

  constructor(private readonly opts: ResolvedBackoff, private readonly random: () => number) {}

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.n;
  }

  /** The delay before the next attempt; counts the attempt. */
  next(): number {
    const d = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(this.n, MAX_EXPONENT));
    this.n++;
    const r = Math.min(Math.max(this.random(), 0), 1);
    return Math.round(d * (1 - this.opts.jitter) + r * d * this.opts.jitter);
  }

  reset(): void {
    this.n = 0;
  }
}
