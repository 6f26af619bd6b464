import { describe, expect, it } from 'vitest';
import { UsageError, intFlag, intFlagsOnto, parseSuiteFlags, sectionsFlag } from './flags.js';

const USAGE = 'Usage: test [--n <n>] [--on]';
const OPTIONS = { n: { type: 'string' }, on: { type: 'boolean' } } as const;

function thrown(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('suite flags', () => {
  it('parses known flags', () => {
    expect(parseSuiteFlags(['--n', '3', '--on'], OPTIONS, USAGE)).toEqual({ n: '3', on: true });
  });

  it('--help and -h ask for the usage', () => {
    for (const flag of ['--help', '-h']) {
      const e = thrown(() => parseSuiteFlags(['--n', '3', flag], OPTIONS, USAGE));
      expect(e.help).toBe(true);
      expect(e.message).toBe(USAGE);
    }
  });

  it('an unknown flag or a missing value is a usage error naming it', () => {
    const unknown = thrown(() => parseSuiteFlags(['--bogus'], OPTIONS, USAGE));
    expect(unknown.help).toBe(false);
    expect(unknown.message).toContain("'--bogus'");
    expect(unknown.message).toContain(USAGE);
    expect(thrown(() => parseSuiteFlags(['--n'], OPTIONS, USAGE)).message).toContain('--n');
  });

  it('integer and list flags name the flag, the range or the choices, and the bad value', () => {
    expect(intFlag('n', undefined, 7, [1, 9], USAGE)).toBe(7);
    expect(thrown(() => intFlag('n', '10', 7, [1, 9], USAGE)).message).toMatch(/^--n expects an integer in 1\.\.9, got "10"/);
    expect(thrown(() => intFlag('n', '2.5', 7, [1, 9], USAGE)).message).toContain('got "2.5"');
    expect(sectionsFlag('b,a', ['a', 'b', 'c'], USAGE)).toEqual(['a', 'b']);
    expect(thrown(() => sectionsFlag('a,x', ['a', 'b'], USAGE)).message).toMatch(/^--sections takes some of a,b, got "a,x"/);
  });

  it('integer flags land on the field their camel-case name names; absent ones keep the default', () => {
    const defaults = { warmupMs: 100, rounds: 3, label: 'x' };
    const limits = { 'warmup-ms': [0, 1000], rounds: [1, 9] } as const;
    expect(intFlagsOnto(defaults, ['warmup-ms', 'rounds'], { 'warmup-ms': '250' }, limits, USAGE)).toEqual({ warmupMs: 250, rounds: 3, label: 'x' });
    expect(thrown(() => intFlagsOnto(defaults, ['rounds'], { rounds: '0' }, limits, USAGE)).message).toMatch(/^--rounds expects an integer in 1\.\.9, got "0"/);
  });
});
