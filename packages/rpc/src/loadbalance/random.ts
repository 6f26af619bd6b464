import type { Invoker } from '../call/invoker.js';
import { LoadBalanceBase } from './load-balance-base.js';

/** Uniform over the eligible providers; weights (and so warm-up) are ignored. */
export class RandomLoadBalance extends LoadBalanceBase {
  readonly name = 'random';

  protected pick(candidates: readonly Invoker[], count: number): Invoker {
    return candidates[this.uniform(count)];
  }
}
