import { describe, expect, it } from 'vitest';
import { seededRandom } from '@paddock/edges';
import { LeastActiveLoadBalance } from './least-active.js';
import { fakes } from './testing/fake-invoker.js';
import { countPicks, LB_SEED, replay, report, shareTolerance } from './testing/seed.js';

describe('least-active', () => {
  it('picks the idle provider', () => {
    const invokers = fakes(100, 100, 100);
    invokers[0].active = 3;
    invokers[2].active = 2;
    const lb = new LeastActiveLoadBalance({ random: seededRandom(LB_SEED) });
    expect(countPicks(lb, invokers, 1000).get('b')).toBe(1000);
  });

  it('follows the load as it moves', () => {
    const invokers = fakes(100, 100);
    const lb = new LeastActiveLoadBalance({ random: seededRandom(LB_SEED) });
    invokers[0].active = 1;
    expect(countPicks(lb, invokers, 10).get('b')).toBe(10);
    invokers[1].active = 5;
    expect(countPicks(lb, invokers, 10).get('a')).toBe(10);
  });

  it('breaks ties among the least loaded by weight, and never picks a busier one', () => {
    const invokers = fakes(100, 300, 1000);
    invokers[2].active = 1;
    const n = 100_000;
    const counts = countPicks(new LeastActiveLoadBalance({ random: seededRandom(LB_SEED) }), invokers, n);
    report('least-active tie 100:300 (c busier)', counts, n);
    expect(counts.get('c')).toBe(0);
    expect(Math.abs(counts.get('a')! / n - 0.25), replay('share of a')).toBeLessThanOrEqual(shareTolerance(0.25, n));
  });

  it('breaks ties uniformly when weights are equal', () => {
    const invokers = fakes(100, 100, 100, 100);
    const n = 40_000;
    const counts = countPicks(new LeastActiveLoadBalance({ random: seededRandom(LB_SEED) }), invokers, n);
    for (const [id, c] of counts) expect(Math.abs(c / n - 0.25), replay(`share of ${id}`)).toBeLessThanOrEqual(shareTolerance(0.25, n));
  });
});
