import type { Clock, RandomSource } from '@paddock/edges';
import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import type { InvokerStats } from './invoker-stats.js';

/** Invokers a selection must leave out (tried earlier in this call, circuit open). */
export interface InvokerExclusion {
  excludes(invoker: Invoker): boolean;
}

/**
 * Chooses one provider for one call (Dubbo's LoadBalance). Created once per reference and
 * reused for every call; `select` is synchronous, makes no closures and copies the invoker list
 * only when some invoker must be left out.
 */
export interface LoadBalance {
  readonly name: string;
  /** Response-time stats this balancer reads; the cluster records into them. Only shortest-response has them. */
  readonly stats: InvokerStats | undefined;
  /**
   * One invoker among those that are `available` and not excluded, or undefined when there is
   * none. Unavailable invokers are skipped here, so a provider whose connection dropped is set
   * aside before the registry reports it gone.
   */
  select(invokers: readonly Invoker[], inv: Invocation, exclusion?: InvokerExclusion): Invoker | undefined;
}

/** An invoker that knows when its provider started (the provider URL's `timestamp`), for warm-up. */
export interface TimestampedInvoker extends Invoker {
  readonly timestamp?: number;
}

export interface LoadBalanceOptions {
  /** Uniform [0, 1) source; default Math.random. */
  readonly random?: RandomSource;
  /** The wall clock a provider's warm-up is measured on (any Clock fits); default Date.now. */
  readonly clock?: Pick<Clock, 'now'>;
  /**
   * Warm-up: a provider's weight ramps linearly from ~0 to its full weight over this many ms
   * after it started. 0 (the default) turns warm-up off.
   */
  readonly warmupMs?: number;
  /**
   * A provider's start time (ms since the epoch), or undefined when unknown (full weight).
   * Default: the invoker's own `timestamp` property (see TimestampedInvoker).
   */
  readonly startTimeOf?: (invoker: Invoker) => number | undefined;
  /** shortest-response: the stats to read (one is made when absent). */
  readonly stats?: InvokerStats;
  /** consistent-hash: indexes of the arguments that make the key (Dubbo's hash.arguments); default [0]. */
  readonly hashArguments?: readonly number[];
  /** consistent-hash: virtual nodes per provider (Dubbo's hash.nodes); default 160. */
  readonly hashNodes?: number;
}
