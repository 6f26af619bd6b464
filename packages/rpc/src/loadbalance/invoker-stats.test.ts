import { describe, expect, it } from 'vitest';
import { ManualClock, OptionError } from '@paddock/edges';
import { InvokerStats } from './invoker-stats.js';
import { FakeInvoker } from './testing/fake-invoker.js';

describe('InvokerStats', () => {
  const setup = (): { clock: ManualClock; stats: InvokerStats; a: FakeInvoker; b: FakeInvoker } => {
    const clock = new ManualClock(0);
    return { clock, stats: new InvokerStats({ windowMs: 30_000, buckets: 6, clock }), a: new FakeInvoker('a'), b: new FakeInvoker('b') };
  };

  it('averages elapsed times per provider; unknown until the first sample', () => {
    const { stats, a, b } = setup();
    expect(stats.averageMs(a)).toBeUndefined();
    stats.record(a, 10);
    stats.record(a, 30);
    stats.record(b, 100);
    expect(stats.averageMs(a)).toBe(20);
    expect(stats.averageMs(b)).toBe(100);
    expect(stats.countOf(a)).toBe(2);
  });

  it('slides: samples fall out bucket by bucket once older than the window', () => {
    const { clock, stats, a } = setup();
    stats.record(a, 100); // bucket of step 0 (0..5 s)
    clock.advance(10_000);
    stats.record(a, 10); // step 2
    expect(stats.averageMs(a)).toBe(55);
    clock.advance(29_999 - clock.now()); // still step 5: both live
    expect(stats.averageMs(a)).toBe(55);
    clock.advance(30_000 - clock.now()); // step 6: step 0 has left the window
    expect(stats.averageMs(a)).toBe(10);
    clock.advance(45_000 - clock.now()); // step 9: step 2 has left too
    expect(stats.averageMs(a)).toBeUndefined();
    expect(stats.countOf(a)).toBe(0);
  });

  it('reuses a bucket for a new step without mixing in the old one', () => {
    const { clock, stats, a } = setup();
    stats.record(a, 1000);
    clock.advance(30_000 - clock.now()); // same slot (step 6 ≡ step 0 mod 6), new step
    stats.record(a, 2);
    expect(stats.averageMs(a)).toBe(2);
  });

  it('counts a negative elapsed time (clock stepped back) as 0 and ignores non-finite ones', () => {
    const { stats, a } = setup();
    stats.record(a, -5);
    stats.record(a, Number.NaN);
    stats.record(a, 10);
    expect(stats.averageMs(a)).toBe(5);
  });

  it('drops providers with no samples in the window (bounded memory)', () => {
    const { clock, stats, a, b } = setup();
    stats.record(a, 1);
    clock.advance(40_000);
    stats.record(b, 1); // sweeps: a's last sample is older than the window
    expect(stats.tracked).toBe(1);
  });

  it('rejects nonsense options with an OptionError', () => {
    expect(() => new InvokerStats({ buckets: 0 })).toThrow(OptionError);
    expect(() => new InvokerStats({ windowMs: Number.NaN })).toThrow(/windowMs/);
    expect(() => new InvokerStats({ windowMs: 3, buckets: 6 })).toThrow(/windowMs/);
  });
});
