import type { Invoker } from '../call/invoker.js';
import { LoadBalanceBase } from './load-balance-base.js';

/**
 * The provider with the fewest calls in flight; ties are broken by weighted random, so idle
 * providers share calls by weight. A slow provider accumulates in-flight calls and is passed over.
 */
export class LeastActiveLoadBalance extends LoadBalanceBase {
  readonly name = 'least-active';

  protected pick(candidates: readonly Invoker[], count: number): Invoker {
    const ties = this.indexes;
    let least = candidates[0].active;
    let n = 1;
    ties[0] = 0;
    for (let i = 1; i < count; i++) {
      const active = candidates[i].active;
      if (active < least) {
        least = active;
        n = 0;
        ties[n++] = i;
      } else if (active === least) {
        ties[n++] = i;
      }
    }
    if (n === 1) return candidates[ties[0]];
    this.loadWeights(candidates, count);
    return this.pickWeighted(candidates, ties, n);
  }
}
