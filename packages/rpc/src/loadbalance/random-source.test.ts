import { describe, expect, it } from 'vitest';
import { seededRandom } from './random-source.js';
import { LB_SEED, replay } from './testing/seed.js';

describe('seededRandom', () => {
  it('replays the same sequence from the same seed and a different one from another', () => {
    const a = seededRandom(LB_SEED);
    const b = seededRandom(LB_SEED);
    const c = seededRandom(LB_SEED + 1);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(xs);
  });

  it('stays in [0, 1) with a uniform mean and spread', () => {
    const random = seededRandom(LB_SEED);
    const n = 100_000;
    const deciles = new Array<number>(10).fill(0);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = random();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      deciles[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    // Mean of n uniforms: sd = sqrt(1/12 / n) ≈ 0.0009; 5 sd.
    expect(Math.abs(sum / n - 0.5), replay('mean')).toBeLessThan(0.0046);
    for (const d of deciles) expect(Math.abs(d / n - 0.1), replay('decile share')).toBeLessThan(5 * Math.sqrt(0.09 / n));
  });
});
