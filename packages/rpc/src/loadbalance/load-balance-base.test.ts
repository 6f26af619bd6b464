import { describe, expect, it } from 'vitest';
import { ManualClock, OptionError, seededRandom } from '@paddock/edges';
import { warmupWeight } from './load-balance-base.js';
import { createLoadBalance, LOAD_BALANCE_NAMES } from './load-balance-table.js';
import { WeightedRandomLoadBalance } from './weighted-random.js';
import { FakeInvoker, fakes, invocation } from './testing/fake-invoker.js';
import { countPicks, LB_SEED, replay, report, shareTolerance } from './testing/seed.js';

const noRandom = (): number => {
  throw new Error('the one-candidate path must not draw randomness');
};

describe.each(LOAD_BALANCE_NAMES)('%s: shared machinery', (name) => {
  const make = (): ReturnType<typeof createLoadBalance> => createLoadBalance(name, { random: seededRandom(LB_SEED) });

  it('returns undefined for no invokers or none available', () => {
    expect(make().select([], invocation())).toBeUndefined();
    const invokers = fakes(1, 1);
    for (const i of invokers) i.available = false;
    expect(make().select(invokers, invocation())).toBeUndefined();
  });

  it('returns the only eligible invoker without drawing randomness', () => {
    const invokers = fakes(100, 100, 100);
    invokers[0].available = false;
    const lb = createLoadBalance(name, { random: noRandom });
    expect(lb.select(invokers, invocation(), { excludes: (i) => i.id === 'c' })?.id).toBe('b');
  });

  it('never picks an unavailable invoker (a dropped connection is set aside at once)', () => {
    const invokers = fakes(100, 300, 100, 500);
    invokers[1].available = false;
    invokers[3].available = false;
    const lb = make();
    const counts = countPicks(lb, invokers, 2000, invocation({ args: ['k'] }));
    expect(counts.get('b')! + counts.get('d')!).toBe(0);
    // Several keys for consistent-hash, so both remaining providers get some.
    for (let k = 0; k < 200; k++) expect(['a', 'c']).toContain(lb.select(invokers, invocation({ args: [`key-${k}`] }))!.id);
  });

  it('never picks an excluded invoker', () => {
    const invokers = fakes(100, 100, 100);
    const lb = make();
    for (let k = 0; k < 500; k++) expect(lb.select(invokers, invocation({ args: [`key-${k}`] }), { excludes: (i) => i.id !== 'b' })!.id).toBe('b');
  });
});

describe('warm-up', () => {
  it('ramps linearly from 1 to the full weight over warmupMs', () => {
    const warm = 600_000;
    expect(warmupWeight(100, 0, warm)).toBe(1);
    expect(warmupWeight(100, warm * 0.005, warm)).toBe(1); // the floor: 0.5 would starve it
    expect(warmupWeight(100, warm * 0.25, warm)).toBe(25);
    expect(warmupWeight(100, warm * 0.5, warm)).toBe(50);
    expect(warmupWeight(100, warm * 0.9, warm)).toBe(90);
    expect(warmupWeight(100, warm, warm)).toBe(100);
    expect(warmupWeight(100, warm * 10, warm)).toBe(100);
    // Start time in the future (clock skew): just started.
    expect(warmupWeight(100, -5000, warm)).toBe(1);
    expect(warmupWeight(0, warm / 2, warm)).toBe(0);
    expect(warmupWeight(0.5, 0, warm)).toBe(0.5);
    // Monotone and linear in between.
    let prev = 0;
    for (let t = 0; t <= warm; t += warm / 100) {
      const w = warmupWeight(400, t, warm);
      expect(w).toBeGreaterThanOrEqual(prev);
      if (w > 1) expect(w).toBeCloseTo((400 * t) / warm, 9);
      prev = w;
    }
  });

  it("shifts calls to a new provider as its warm-up progresses (provider URL's timestamp)", () => {
    const clock = new ManualClock();
    const warmupMs = 600_000;
    const old = new FakeInvoker('old', { weight: 100, timestamp: clock.now() - 3_600_000 });
    const fresh = new FakeInvoker('new', { weight: 100, timestamp: clock.now() });
    const lb = new WeightedRandomLoadBalance({ clock, warmupMs, random: seededRandom(LB_SEED) });
    const n = 100_000;
    for (const [fraction, expected] of [
      [0, 1 / 101],
      [0.25, 25 / 125],
      [0.5, 50 / 150],
      [1, 0.5],
    ] as const) {
      clock.advance(fresh.timestamp! + fraction * warmupMs - clock.now());
      const counts = countPicks(lb, [old, fresh], n);
      report(`warm-up at ${fraction * 100}%`, counts, n);
      expect(Math.abs(counts.get('new')! / n - expected), replay(`share of the new provider at ${fraction * 100}% warm-up`)).toBeLessThanOrEqual(
        shareTolerance(expected, n),
      );
    }
  });

  it('takes the start time from a param when given, and leaves providers without one at full weight', () => {
    const clock = new ManualClock(1_000_000);
    const a = new FakeInvoker('a', { weight: 100 });
    const b = new FakeInvoker('b', { weight: 100 });
    const starts = new Map([['a', 1_000_000]]);
    const lb = createLoadBalance('round-robin', { clock, warmupMs: 100_000, startTimeOf: (i) => starts.get(i.id) });
    // a weighs 1 (just started), b 100: a takes 1 of every 101 picks.
    expect(countPicks(lb, [a, b], 101).get('a')).toBe(1);
  });

  it('is off by default: the timestamp is ignored', () => {
    const clock = new ManualClock();
    const fresh = new FakeInvoker('new', { weight: 100, timestamp: clock.now() });
    const old = new FakeInvoker('old', { weight: 100, timestamp: 0 });
    expect(countPicks(createLoadBalance('round-robin', { clock }), [old, fresh], 100).get('new')).toBe(50);
  });

  it('rejects a negative, infinite or over-long warmupMs with an OptionError', () => {
    for (const warmupMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, 1e12]) {
      expect(() => createLoadBalance('weighted-random', { warmupMs })).toThrow(OptionError);
    }
  });
});
