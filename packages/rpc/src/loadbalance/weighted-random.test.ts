import { describe, expect, it } from 'vitest';
import { seededRandom } from '@paddock/edges';
import { fakes } from './testing/fake-invoker.js';
import { countPicks, LB_SEED, replay, report, shareTolerance } from './testing/seed.js';
import { WeightedRandomLoadBalance } from './weighted-random.js';

const make = (seed = LB_SEED): WeightedRandomLoadBalance => new WeightedRandomLoadBalance({ random: seededRandom(seed) });

describe('weighted-random', () => {
  it('gives each provider weight/total of 100k picks (within 5 sd)', () => {
    const invokers = fakes(100, 200, 300, 400);
    const n = 100_000;
    const counts = countPicks(make(), invokers, n);
    report('weighted-random 100,200,300,400', counts, n);
    for (const invoker of invokers) {
      const p = invoker.weight / 1000;
      const share = counts.get(invoker.id)! / n;
      expect(Math.abs(share - p), replay(`share of ${invoker.id} (weight ${invoker.weight})`)).toBeLessThanOrEqual(shareTolerance(p, n));
      // Relatively: 5 sd is 4.7% of the smallest share (0.1) here, 1.9% of the largest.
      expect(Math.abs(share - p) / p, replay(`relative error of ${invoker.id}`)).toBeLessThan(0.05);
    }
  });

  it('follows a heavily skewed weighting (1 : 99)', () => {
    const invokers = fakes(1, 99);
    const n = 100_000;
    const counts = countPicks(make(LB_SEED + 1), invokers, n);
    report('weighted-random 1,99', counts, n);
    expect(Math.abs(counts.get('a')! / n - 0.01), replay('share of the light one', LB_SEED + 1)).toBeLessThanOrEqual(shareTolerance(0.01, n));
  });

  it('never picks weight 0 while others have weight; all 0 falls back to uniform', () => {
    const invokers = fakes(0, 100, 0);
    expect(countPicks(make(), invokers, 10_000).get('b')).toBe(10_000);
    const zeros = fakes(0, 0, 0, 0);
    const n = 40_000;
    const counts = countPicks(make(), zeros, n);
    for (const [id, c] of counts) expect(Math.abs(c / n - 0.25), replay(`share of ${id}`)).toBeLessThanOrEqual(shareTolerance(0.25, n));
  });

  it('reads the weight at every pick (a configurator override takes effect at once)', () => {
    const invokers = fakes(100, 100);
    const lb = make();
    invokers[0].weight = 0;
    expect(countPicks(lb, invokers, 1000).get('b')).toBe(1000);
  });
});
