import type { Clock, Logger } from '@paddock/edges';
import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import type { LoadBalance } from '../loadbalance/load-balance.js';
import type { CircuitBreakerOptions } from './circuit-breakers.js';

/**
 * What to do with one call across a service's providers (Dubbo's Cluster): pick with the load
 * balancer, call, and on failure retry, swallow, fork or fan out. Created once per reference.
 */
export interface Cluster {
  readonly name: string;
  invoke(invokers: readonly Invoker[], inv: Invocation): Promise<unknown>;
}

/** The levels a cluster logs at; any Logger (a pino logger or child) fits. */
export type ClusterLogger = Pick<Logger, 'debug' | 'warn'>;

export interface ClusterOptions {
  /** Created once per reference (see createLoadBalance); its stats, if any, are kept up to date here. */
  readonly loadBalance: LoadBalance;
  /** Reads the wall time for deadlines, breakers and stats (any Clock fits); default Date.now. */
  readonly clock?: Pick<Clock, 'now'>;
  /** failover: further attempts on other providers after the first; default 2, at most 10. */
  readonly retries?: number;
  /** forking: providers called in parallel; default 2, at most 16. */
  readonly forks?: number;
  /** Per-provider circuit breakers (on by default); false turns them off. */
  readonly circuitBreaker?: CircuitBreakerOptions | false;
  /** failsafe logs swallowed errors at warn, failover its retries at debug; default silent. */
  readonly logger?: ClusterLogger;
}
