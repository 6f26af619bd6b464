import type { Invocation } from './invocation.js';

/**
 * A way to call one provider of one service (Dubbo's Invoker). Load balancers choose among
 * invokers; clusters decide what to do when one fails; transports implement `invoke`.
 */
export interface Invoker {
  /** Stable identity of the provider, e.g. its instance URL. */
  readonly id: string;
  /** Weight from the provider URL after configurator overrides (the balancer applies warm-up). */
  readonly weight: number;
  /** Calls in flight on this invoker right now (least-active balancing). */
  readonly active: number;
  /** Whether the connection is up; false at once when it drops (the cluster tracks circuits). */
  readonly available: boolean;
  invoke(inv: Invocation): Promise<unknown>;
}
