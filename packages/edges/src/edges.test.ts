import { describe, expect, it } from 'vitest';
import {
  Backoff, ManualClock, OPTION_ERROR_CODE, OptionError, backoffDelay, checkOption, seedFromEnv, seededRandom, silentLogger,
  systemClock, unrefClock,
} from './index.js';

describe('ManualClock', () => {
  it('moves both readings together and fires due timers in time order, each seeing its own time', () => {
    const clock = new ManualClock(1000, 0);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.monotonic()}/${clock.now()}`), 20);
    clock.setTimeout(() => seen.push(`a@${clock.monotonic()}`), 10);
    clock.setTimeout((tag: string) => seen.push(`${tag}@${clock.monotonic()}`), 20, 'c');
    const gone = clock.setTimeout(() => seen.push('cleared'), 5);
    clock.clearTimeout(gone);
    expect(clock.pending).toBe(3);
    expect(clock.pendingDelays).toEqual([10, 20, 20]);
    clock.advance(15);
    expect(clock.pendingDelays).toEqual([5, 5]);
    expect(seen).toEqual(['a@10']);
    clock.advance(100);
    expect(seen).toEqual(['a@10', 'b@20/1020', 'c@20']);
    expect([clock.monotonic(), clock.now(), clock.pending]).toEqual([115, 1115, 0]);
  });

  it('fires a timer set by a firing timer when it is due within the same advance', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    clock.setTimeout(() => { seen.push(clock.monotonic()); clock.setTimeout(() => seen.push(clock.monotonic()), 5); }, 5);
    clock.advance(12);
    expect(seen).toEqual([5, 10]);
  });
});

describe('system clocks', () => {
  it('read the real time and run timers, with and without keeping the process alive', async () => {
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(1000);
    const fired = await Promise.all([systemClock, unrefClock].map((c) => new Promise((r) => c.setTimeout(r, 1, 'x'))));
    expect(fired).toEqual(['x', 'x']);
    const handle = unrefClock.setTimeout(() => { throw new Error('cleared timer fired'); }, 1);
    unrefClock.clearTimeout(handle);
  });
});

describe('backoff', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.5 };

  it('doubles from the base up to the cap, with the random part below each delay', () => {
    expect([0, 1, 2, 3, 4, 60].map((n) => backoffDelay(policy, n, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([0, 1, 4].map((n) => backoffDelay(policy, n, () => 0))).toEqual([50, 100, 500]);
    expect(backoffDelay({ ...policy, jitter: 0 }, 2, Math.random)).toBe(400);
  });

  it('spreads around the ceiling when asked, and rounds down when asked', () => {
    const around = { ...policy, jitter: 0.2, spread: 'around' } as const;
    expect([0, 0.5, 1].map((r) => backoffDelay(around, 0, () => r))).toEqual([80, 100, 120]);
    expect(backoffDelay({ ...around, maxDelayMs: 150 }, 3, () => 1)).toBe(180);
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(100);
    expect(backoffDelay({ ...policy, rounding: 'down' }, 0, () => 0.999)).toBe(99);
  });

  it('keeps each delay within [d·(1−jitter), d] whatever the random source gives, and a full jitter can reach 0', () => {
    const seed = seedFromEnv('EDGES_SEED', 42);
    const b = new Backoff(policy, seededRandom(seed));
    for (const d of [100, 200, 400, 800, 1000, 1000]) {
      const delay = b.next();
      expect(delay, `replay with EDGES_SEED=${seed}`).toBeGreaterThanOrEqual(d * 0.5);
      expect(delay, `replay with EDGES_SEED=${seed}`).toBeLessThanOrEqual(d);
    }
    expect(backoffDelay({ ...policy, jitter: 1 }, 0, () => 0)).toBe(0);
    expect(backoffDelay({ ...policy, jitter: 0 }, 0, () => 0.3)).toBe(100);
  });

  it('counts attempts until reset, and never overflows however many', () => {
    const b = new Backoff(policy, () => 1);
    expect([b.next(), b.next(), b.attempts]).toEqual([100, 200, 2]);
    for (let i = 0; i < 5000; i++) expect(b.next()).toBeLessThanOrEqual(1000);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(100);
  });
});

describe('seeded random', () => {
  it('replays the same sequence from the same seed, in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(xs[0]);
  });

  it('is uniform: mean and decile shares within five standard deviations', () => {
    const seed = seedFromEnv('EDGES_SEED', 20_260_501);
    const random = seededRandom(seed);
    const n = 100_000;
    const deciles = new Array<number>(10).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = random();
      sum += x;
      deciles[Math.floor(x * 10)]++;
    }
    // The mean of n uniforms has sd sqrt(1/12/n) ≈ 0.0009.
    expect(Math.abs(sum / n - 0.5), `mean (replay with EDGES_SEED=${seed})`).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    for (const d of deciles) expect(Math.abs(d / n - 0.1), `decile share (replay with EDGES_SEED=${seed})`).toBeLessThan(5 * Math.sqrt(0.09 / n));
  });

  it('takes a seed from the environment, the fallback, or a fresh one; a bad one names the variable', () => {
    const name = 'EDGES_TEST_SEED';
    delete process.env[name];
    expect(seedFromEnv(name, 7)).toBe(7);
    expect(Number.isInteger(seedFromEnv(name))).toBe(true);
    process.env[name] = '123';
    expect(seedFromEnv(name, 7)).toBe(123);
    process.env[name] = 'x';
    expect(() => seedFromEnv(name)).toThrow('EDGES_TEST_SEED must be an integer in 0..2^32-1, got "x"');
    delete process.env[name];
  });
});

describe('OptionError', () => {
  it('is a TypeError with a code, the option and the value, and a message naming both', () => {
    const err = (() => { try { checkOption.int('tickTime', 0, 1, 3_600_000); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toBeInstanceOf(OptionError);
    expect(err).toMatchObject({ code: OPTION_ERROR_CODE, option: 'tickTime', value: 0, message: 'tickTime must be an integer in 1..3600000, got 0' });
  });

  it('takes a message worded by the caller, keeping the option and the value', () => {
    const err = new OptionError('tcp.maxConnections', '10', { message: 'tcp option maxConnections must be an integer in 1..1000000, got 10' });
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ code: OPTION_ERROR_CODE, option: 'tcp.maxConnections', value: '10', message: 'tcp option maxConnections must be an integer in 1..1000000, got 10' });
  });

  it('checks integers, numbers, choices, strings, booleans and functions', () => {
    expect(checkOption.int('n', 5, 1, 9)).toBe(5);
    expect(() => checkOption.int('n', 1.5, 1, 9)).toThrow('n must be an integer in 1..9, got 1.5');
    expect(checkOption.intAtLeast('maxNodes', 2 ** 40, 1)).toBe(2 ** 40);
    expect(() => checkOption.intAtLeast('maxNodes', 0, 1)).toThrow('maxNodes must be an integer >= 1, got 0');
    expect(() => checkOption.number('jitter', Number.NaN, 0, 1)).toThrow('jitter must be a number in 0..1, got NaN');
    expect(checkOption.oneOf('mode', 'a', ['a', 'b'] as const)).toBe('a');
    expect(() => checkOption.oneOf('mode', 'c', ['a', 'b'])).toThrow('mode must be one of a, b, got "c"');
    expect(() => checkOption.nonEmptyString('host', '')).toThrow('host must be a non-empty string, got ""');
    expect(() => checkOption.boolean('flag', 'yes')).toThrow('flag must be true or false, got "yes"');
    expect(() => checkOption.function('random', 3)).toThrow('random must be a function, got 3');
    expect(() => checkOption.int('n', 'x'.repeat(500), 1, 2)).toThrow(/got "x{100,}\.\.\.$/);
    expect(() => checkOption.int('n', { a: 1 }, 1, 2)).toThrow('got {"a":1}');
    expect(() => checkOption.int('n', 10n, 1, 2)).toThrow('got 10n');
  });
});

describe('silentLogger', () => {
  it('takes every level and says nothing', () => {
    for (const level of ['debug', 'info', 'warn', 'error'] as const) expect(silentLogger[level]({ a: 1 }, 'm')).toBeUndefined();
  });
});
