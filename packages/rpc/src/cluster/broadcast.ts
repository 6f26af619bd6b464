import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import { ClusterBase } from './cluster-base.js';

/**
 * Calls every eligible provider (available, circuit admitting) in parallel and waits for all;
 * fails if any failed, with the error of the first failing provider in list order, else resolves
 * to the last provider's result. For pushing a change to every provider (cache invalidation).
 */
export class BroadcastCluster extends ClusterBase {
  readonly name = 'broadcast';

  async invoke(invokers: readonly Invoker[], inv: Invocation): Promise<unknown> {
    this.checkDeadline(inv);
    const exclusion = this.exclusion;
    const calls: Promise<unknown>[] = [];
    for (const invoker of invokers) {
      if (invoker.available && (exclusion === undefined || !exclusion.excludes(invoker))) calls.push(this.call(invoker, inv));
    }
    if (calls.length === 0) throw this.noneEligible(invokers, inv);
    const outcomes = await Promise.allSettled(calls);
    let result: unknown;
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') throw outcome.reason;
      result = outcome.value;
    }
    return result;
  }
}
