import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import { seededRandom } from './testing/manual-clock.js';

describe('Backoff', () => {
  const opts = { baseDelayMs: 100, maxDelayMs: 2000, jitter: 0.5 };

  it('doubles from the base up to the cap, each delay within [d·(1−jitter), d]', () => {
    const seed = 42;
    const b = new Backoff(opts, seededRandom(seed));
    const ceilings = [100, 200, 400, 800, 1600, 2000, 2000, 2000];
    for (const d of ceilings) {
      const delay = b.next();
      expect(delay, `seed ${seed}`).toBeGreaterThanOrEqual(d * 0.5);
      expect(delay, `seed ${seed}`).toBeLessThanOrEqual(d);
    }
    expect(b.attempts).toBe(ceilings.length);
  });

  it('spreads delays with the random source: the extremes of random give the bounds', () => {
    expect(new Backoff(opts, () => 0).next()).toBe(50);
    expect(new Backoff(opts, () => 0.999999).next()).toBe(100);
    expect(new Backoff({ ...opts, jitter: 0 }, () => 0.3).next()).toBe(100);
    expect(new Backoff({ ...opts, jitter: 1 }, () => 0).next()).toBe(0);
  });

  it('never overflows after many attempts and starts over on reset', () => {
    const b = new Backoff(opts, () => 1);
    for (let i = 0; i < 5000; i++) expect(b.next()).toBeLessThanOrEqual(2000);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(100);
  });
});
