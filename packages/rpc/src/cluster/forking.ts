import { checkOption } from '@paddock/edges';
import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import type { ClusterOptions } from './cluster.js';
import { ClusterBase, UsedExclusion } from './cluster-base.js';

const DEFAULT_FORKS = 2;
const MAX_FORKS = 16;

/**
 * Calls `forks` distinct providers (chosen by the balancer) in parallel; the first success is
 * the result. Fewer are called when fewer are eligible. Fails only when every fork fails, with
 * the error of the first provider chosen. For latency-critical reads; costs forks× the load.
 */
export class ForkingCluster extends ClusterBase {
  readonly name = 'forking';
  readonly forks: number;

  constructor(options: ClusterOptions) {
    super(options);
    this.forks = checkOption.int('forks', options.forks ?? DEFAULT_FORKS, 1, MAX_FORKS);
  }

  async invoke(invokers: readonly Invoker[], inv: Invocation): Promise<unknown> {
    this.checkDeadline(inv);
    const first = this.select(invokers, inv, this.exclusion);
    if (this.forks === 1) return this.call(first, inv);
    const chosen = new UsedExclusion(first, this.breakers);
    const picked = chosen.used;
    while (picked.length < this.forks) {
      const next = this.loadBalance.select(invokers, inv, chosen);
      if (next === undefined) break;
      picked.push(next);
    }
    if (picked.length === 1) return this.call(first, inv);
    const calls = new Array<Promise<unknown>>(picked.length);
    for (let i = 0; i < picked.length; i++) calls[i] = this.call(picked[i], inv);
    try {
      return await Promise.any(calls);
    } catch (e) {
      throw (e as AggregateError).errors[0];
    }
  }
}
