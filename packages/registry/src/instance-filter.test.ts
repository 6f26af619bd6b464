import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors.js';
import { compileFilter } from './instance-filter.js';

const at = (version: string, group = 'default') => ({ version, group });

describe('compileFilter', () => {
  it('matches any version and the default group by default', () => {
    const f = compileFilter();
    expect(f).toMatchObject({ version: '*', group: 'default' });
    expect(f.matches(at('0.0.1'))).toBe(true);
    expect(f.matches(at('9.9.9-rc.1'))).toBe(true);
    expect(f.matches(at('1.0.0', 'blue'))).toBe(false);
  });

  it('matches an exact version, ignoring build metadata as semver does', () => {
    const f = compileFilter({ version: '1.2.0' });
    expect(f.matches(at('1.2.0'))).toBe(true);
    expect(f.matches(at('1.2.0+build.5'))).toBe(true);
    expect(f.matches(at('1.2.1'))).toBe(false);
    expect(f.matches(at('1.2.0-rc.1'))).toBe(false);
  });

  it('matches semver ranges, without prereleases unless asked for', () => {
    const caret = compileFilter({ version: '^1.2' });
    expect(['1.2.0', '1.9.9', '2.0.0', '1.1.9', '1.3.0-beta'].filter((v) => caret.matches(at(v)))).toEqual(['1.2.0', '1.9.9']);
    const span = compileFilter({ version: '>=1.0.0 <2 || 3.x' });
    expect(['0.9.0', '1.5.0', '2.0.0', '3.1.4'].filter((v) => span.matches(at(v)))).toEqual(['1.5.0', '3.1.4']);
    expect(compileFilter({ version: '>=1.3.0-beta' }).matches(at('1.3.0-beta.2'))).toBe(true);
  });

  it('matches a group, a list of groups, or any', () => {
    expect(compileFilter({ group: 'blue' }).matches(at('1.0.0', 'blue'))).toBe(true);
    const two = compileFilter({ group: 'blue, green' });
    expect(['blue', 'green', 'default'].filter((g) => two.matches(at('1.0.0', g)))).toEqual(['blue', 'green']);
    expect(compileFilter({ group: '*' }).matches(at('1.0.0', 'anything'))).toBe(true);
  });

  it('rejects specs that are neither versions nor ranges, and bad groups', () => {
    for (const version of ['', 'latest', 'v1 || banana', '>=>1', 'x'.repeat(300)]) {
      expect(() => compileFilter({ version }), version).toThrow(RegistryError);
    }
    expect(() => compileFilter({ version: 3 as unknown as string })).toThrow(/version spec/);
    expect(() => compileFilter({ group: 'a b' })).toThrow(/invalid group "a b"/);
    expect(() => compileFilter({ group: 'a,' })).toThrow(/invalid group ""/);
  });
});
