import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('returns quantiles within its 1.6 % bucket resolution and merges', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) (i % 2 ? a : b).recordMs(i / 10); // 0.1 .. 100 ms
    expect(a.merge(b).count).toBe(1000);
    expect(Math.abs(a.quantileMs(0.5) - 50) / 50).toBeLessThan(0.02);
    expect(Math.abs(a.quantileMs(0.99) - 99) / 99).toBeLessThan(0.02);
    expect(a.quantileMs(1)).toBeGreaterThan(98);
  });

  it('counts sub-128 µs values exactly, clamps the rest, and is NaN when empty', () => {
    const h = new LatencyHistogram();
    expect(h.quantileMs(0.5)).toBeNaN();
    h.recordMs(0.05);
    expect(h.quantileMs(0.5)).toBe(0.05);
    h.recordMs(1e12);
    expect(h.quantileMs(1)).toBeGreaterThan(2e6);
  });
});
