import { backoffDelay, type RandomSource } from '@paddock/edges';

/** The consumer's reconnect bounds (the tcp options, which the http transport shares). */
interface ReconnectBounds {
  readonly reconnectBaseMs: number;
  readonly reconnectMaxMs: number;
}

/**
 * How long an endpoint waits before connecting again after `failures` failures in a row:
 * doubling from reconnectBaseMs up to reconnectMaxMs, ±20% so that consumers which lost a
 * provider together do not come back in step; never 0, so a loop always yields.
 */
export function reconnectDelay(bounds: ReconnectBounds, failures: number, random: RandomSource): number {
  const policy = { baseDelayMs: bounds.reconnectBaseMs, maxDelayMs: bounds.reconnectMaxMs, jitter: 0.2, spread: 'around' } as const;
  return Math.max(1, backoffDelay(policy, failures, random));
}
