import type { Invoker } from '../call/invoker.js';
import { InvokerStats } from './invoker-stats.js';
import type { LoadBalanceOptions } from './load-balance.js';
import { LoadBalanceBase } from './load-balance-base.js';

/**
 * The provider expected to answer soonest: (average response ms + 1) × (calls in flight + 1),
 * averages over the stats' sliding window. The +1 on the average keeps sub-millisecond averages
 * (0 on a millisecond clock) ranked by load; the +1 on active lets idle providers compare by
 * speed alone. A provider with no samples yet is assumed to be as fast as the mean of those that
 * have some (neither flooded nor starved); with no samples at all this is least-active. Ties go
 * to weighted random.
 */
export class ShortestResponseLoadBalance extends LoadBalanceBase {
  readonly name = 'shortest-response';
  override readonly stats: InvokerStats;
  private readonly averages: number[] = [];

  constructor(options: LoadBalanceOptions = {}) {
    super(options);
    this.stats = options.stats ?? new InvokerStats(options.clock === undefined ? {} : { clock: options.clock });
  }

  protected pick(candidates: readonly Invoker[], count: number): Invoker {
    const stats = this.stats;
    const averages = this.averages;
    const now = this.clock.now();
    let known = 0;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const avg = stats.average(candidates[i].id, now);
      averages[i] = avg;
      if (avg >= 0) {
        known++;
        sum += avg;
      }
    }
    const assumed = known === 0 ? 0 : sum / known;
    const ties = this.indexes;
    let best = Infinity;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const avg = averages[i];
      const estimate = ((avg >= 0 ? avg : assumed) + 1) * (candidates[i].active + 1);
      if (estimate < best) {
        best = estimate;
        n = 0;
        ties[n++] = i;
      } else if (estimate === best) {
        ties[n++] = i;
      }
    }
    if (n === 1) return candidates[ties[0]];
    if (n === 0) return candidates[this.uniform(count)]; // every estimate NaN: a broken `active`
    this.loadWeights(candidates, count);
    return this.pickWeighted(candidates, ties, n);
  }
}
