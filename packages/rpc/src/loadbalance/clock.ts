/**
 * Wall-clock milliseconds since the epoch: the unit of `Invocation.deadline` and of a provider
 * URL's `timestamp`. Balancers, stats and circuit breakers read time only through this, so tests
 * drive it by hand instead of sleeping. A coord-client or coord-server `Clock` fits as is.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
