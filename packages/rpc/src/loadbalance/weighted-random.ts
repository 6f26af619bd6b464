import type { Invoker } from '../call/invoker.js';
import { LoadBalanceBase } from './load-balance-base.js';

/**
 * Each provider is chosen with probability weight / total weight (weights from the provider URL
 * or a configurator override, warm-up applied). Weight 0 takes no calls unless all are 0.
 */
export class WeightedRandomLoadBalance extends LoadBalanceBase {
  readonly name = 'weighted-random';

  protected pick(candidates: readonly Invoker[], count: number): Invoker {
    this.loadWeights(candidates, count);
    return this.pickWeighted(candidates, null, count);
  }
}
