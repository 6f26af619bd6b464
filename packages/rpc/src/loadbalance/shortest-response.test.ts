import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '@paddock/edges';
import { InvokerStats } from './invoker-stats.js';
import { ShortestResponseLoadBalance } from './shortest-response.js';
import { fakes, type FakeInvoker } from './testing/fake-invoker.js';
import { countPicks, LB_SEED, replay, report, shareTolerance } from './testing/seed.js';

const setup = (...weights: number[]): { invokers: FakeInvoker[]; stats: InvokerStats; lb: ShortestResponseLoadBalance; clock: ManualClock } => {
  const clock = new ManualClock();
  const stats = new InvokerStats({ clock });
  const lb = new ShortestResponseLoadBalance({ stats, clock, random: seededRandom(LB_SEED) });
  return { invokers: fakes(...weights), stats, lb, clock };
};

const feed = (stats: InvokerStats, invoker: FakeInvoker, ms: number, times = 20): void => {
  for (let i = 0; i < times; i++) stats.record(invoker, ms);
};

describe('shortest-response', () => {
  it('favours the fast provider when both are idle', () => {
    const { invokers, stats, lb } = setup(100, 100);
    feed(stats, invokers[0], 10);
    feed(stats, invokers[1], 50);
    expect(countPicks(lb, invokers, 1000).get('a')).toBe(1000);
  });

  it('weighs speed by load: (avg+1)×(active+1), so a busy fast provider yields to an idle slower one', () => {
    const { invokers, stats, lb } = setup(100, 100);
    feed(stats, invokers[0], 10);
    feed(stats, invokers[1], 50);
    invokers[0].active = 5; // 11×6 = 66 > 51×1
    expect(lb.select(invokers, { service: 's', method: 'm', args: [], attachments: {}, deadline: Infinity, idempotent: true })?.id).toBe('b');
    invokers[0].active = 3; // 11×4 = 44 < 51
    expect(countPicks(lb, invokers, 100).get('a')).toBe(100);
  });

  it('reads its own stats (made when not given) and exposes them for the cluster to record into', () => {
    const lb = new ShortestResponseLoadBalance();
    expect(lb.stats).toBeInstanceOf(InvokerStats);
  });

  it('acts as least-active when nothing is known yet', () => {
    const { invokers, lb } = setup(100, 100, 100);
    invokers[0].active = 2;
    invokers[2].active = 1;
    expect(countPicks(lb, invokers, 100).get('b')).toBe(100);
  });

  it('assumes a provider with no samples is as fast as the mean of the others', () => {
    const { invokers, stats, lb } = setup(100, 100, 100);
    feed(stats, invokers[0], 10);
    feed(stats, invokers[1], 30);
    // c is assumed 20 ms: a (11) wins while idle ...
    expect(countPicks(lb, invokers, 10).get('a')).toBe(10);
    // ... but with a at 2 in flight (11×3 = 33) c (21×1) is the best guess, ahead of b (31).
    invokers[0].active = 2;
    expect(countPicks(lb, invokers, 10).get('c')).toBe(10);
  });

  it('forgets old slowness: a provider slow a window ago is judged by its recent calls', () => {
    const { invokers, stats, lb, clock } = setup(100, 100);
    feed(stats, invokers[0], 500);
    feed(stats, invokers[1], 50);
    expect(countPicks(lb, invokers, 10).get('b')).toBe(10);
    clock.advance(stats.windowMs);
    feed(stats, invokers[0], 10);
    feed(stats, invokers[1], 50);
    expect(countPicks(lb, invokers, 10).get('a')).toBe(10);
  });

  it('shares ties by weight', () => {
    const { invokers, stats, lb } = setup(100, 300);
    feed(stats, invokers[0], 20);
    feed(stats, invokers[1], 20);
    const n = 100_000;
    const counts = countPicks(lb, invokers, n);
    report('shortest-response tie 100:300', counts, n);
    expect(Math.abs(counts.get('a')! / n - 0.25), replay('share of a')).toBeLessThanOrEqual(shareTolerance(0.25, n));
  });
});
