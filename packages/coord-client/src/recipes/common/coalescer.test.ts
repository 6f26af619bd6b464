import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer.js';

describe('Coalescer', () => {
  it('runs once more for triggers that came during a run, never overlapping', async () => {
    let runs = 0;
    let inside = 0;
    let release!: () => void;
    let gate = new Promise<void>((r) => { release = r; });
    const c = new Coalescer(async () => {
      expect(++inside).toBe(1);
      runs++;
      await gate;
      inside--;
    });
    const first = c.run();
    void c.run();
    void c.run();
    const g1 = release;
    gate = new Promise<void>((r) => { release = r; });
    g1();
    release();
    await first;
    expect(runs).toBe(2);
    expect(c.busy).toBe(false);
  });

  it('does not lose a trigger that arrives as a run finishes', async () => {
    let runs = 0;
    const c = new Coalescer(async () => {
      runs++;
      // Trigger again from inside the last step of the run.
      if (runs === 1) queueMicrotask(() => void c.run());
    });
    await c.run();
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(2);
  });

  it('passes a rejection to the callers and can run again', async () => {
    let fail = true;
    const c = new Coalescer(async () => {
      if (fail) throw new Error('boom');
    });
    await expect(c.run()).rejects.toThrow('boom');
    fail = false;
    await c.run();
  });
});
