import { describe, expect, it } from 'vitest';
import { compileGroupSpec, compileVersionSpec } from './version-spec.js';

describe('version specs', () => {
  it.each([
    ['1.2.0', ['1.2.0'], ['1.2.1', '1.20.0']],
    ['*', ['0.0.1', '9.9.9'], []],
    ['^1.2', ['1.2.0', '1.9.3'], ['1.1.9', '2.0.0']],
    ['>=1.0.0 <2', ['1.0.0', '1.99.0'], ['2.0.0', '0.9.0']],
    ['~1.2.3', ['1.2.9'], ['1.3.0']],
  ])('%s', (spec, yes, no) => {
    const m = compileVersionSpec(spec);
    expect(m).not.toBeNull();
    for (const v of yes) expect(m?.(v), `${spec} accepts ${v}`).toBe(true);
    for (const v of no) expect(m?.(v), `${spec} refuses ${v}`).toBe(false);
  });

  it.each(['', ' ', 'one', '1.x.y.z', 'x'.repeat(300)])('refuses %j', (spec) => {
    expect(compileVersionSpec(spec)).toBeNull();
  });
});

describe('group specs', () => {
  it('matches one group, a list, or any', () => {
    expect(compileGroupSpec('a')?.('a')).toBe(true);
    expect(compileGroupSpec('a')?.('b')).toBe(false);
    expect(compileGroupSpec('a, b')?.('b')).toBe(true);
    expect(compileGroupSpec('*')?.('anything')).toBe(true);
    expect(compileGroupSpec('a,,b')).toBeNull();
  });
});
