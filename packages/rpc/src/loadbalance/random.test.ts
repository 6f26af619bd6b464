import { describe, expect, it } from 'vitest';
import { seededRandom } from '@paddock/edges';
import { RandomLoadBalance } from './random.js';
import { fakes } from './testing/fake-invoker.js';
import { countPicks, LB_SEED, replay, report, shareTolerance } from './testing/seed.js';

describe('random', () => {
  it('spreads picks uniformly, ignoring weights (100k picks, each share within 5 sd of 1/4)', () => {
    const invokers = fakes(1, 10, 100, 1000);
    const n = 100_000;
    const counts = countPicks(new RandomLoadBalance({ random: seededRandom(LB_SEED) }), invokers, n);
    report('random 1,10,100,1000', counts, n);
    for (const [id, c] of counts) expect(Math.abs(c / n - 0.25), replay(`share of ${id}`)).toBeLessThanOrEqual(shareTolerance(0.25, n));
  });

  it('makes the same choices from the same seed', () => {
    const invokers = fakes(1, 1, 1, 1, 1);
    const seq = (seed: number): string[] => {
      const lb = new RandomLoadBalance({ random: seededRandom(seed) });
      return Array.from({ length: 50 }, () => lb.select(invokers, { service: 's', method: 'm', args: [], attachments: {}, deadline: Infinity, idempotent: true })!.id);
    };
    expect(seq(LB_SEED)).toEqual(seq(LB_SEED));
  });

  it('never goes out of range even if the source returns 1', () => {
    const invokers = fakes(1, 1, 1);
    const lb = new RandomLoadBalance({ random: () => 1 });
    expect(countPicks(lb, invokers, 10).get('c')).toBe(10);
  });
});
