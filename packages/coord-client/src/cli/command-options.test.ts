import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { intOption, parseOptions, type OptionSpec } from './command-options.js';

const SET: OptionSpec = { flags: 's', valued: 'v' };
const LS: OptionSpec = { flags: 'swR', valued: '' };

function failure(words: string[], spec: OptionSpec): string {
  try {
    parseOptions(words, spec);
  } catch (err) {
    if (err instanceof CliError) return err.message;
    throw err;
  }
  throw new Error(`${words.join(' ')} parsed`);
}

describe('parseOptions', () => {
  it('separates switches, valued options and positional arguments', () => {
    const a = parseOptions(['-s', '-v', '3', '/x', 'data'], SET);
    expect([...a.flags]).toEqual(['s']);
    expect(a.values.get('v')).toBe('3');
    expect(a.args).toEqual(['/x', 'data']);
  });

  it('accepts options after the positional arguments', () => {
    const a = parseOptions(['/', '-s'], LS);
    expect(a.flags.has('s')).toBe(true);
    expect(a.args).toEqual(['/']);
  });

  it('unbundles switches and reads glued values', () => {
    expect([...parseOptions(['-sw', '/'], LS).flags].sort()).toEqual(['s', 'w']);
    expect(parseOptions(['-v0', '/x', 'd'], SET).values.get('v')).toBe('0');
    expect(parseOptions(['-v=4', '/x', 'd'], SET).values.get('v')).toBe('4');
    const bundled = parseOptions(['-sv', '5', '/x', 'd'], SET);
    expect(bundled.flags.has('s')).toBe(true);
    expect(bundled.values.get('v')).toBe('5');
    expect(parseOptions(['-sv7', '/x', 'd'], SET).values.get('v')).toBe('7');
  });

  it('takes a negative number as a value, and "-" or anything after "--" as arguments', () => {
    expect(parseOptions(['-v', '-1', '/x', 'd'], SET).values.get('v')).toBe('-1');
    expect(parseOptions(['/x', '-'], SET).args).toEqual(['/x', '-']);
    expect(parseOptions(['--', '/x', '-1', '-s'], SET)).toMatchObject({ args: ['/x', '-1', '-s'] });
  });

  it('refuses unknown options and options missing their value, naming them', () => {
    expect(failure(['-x', '/'], LS)).toBe('Unrecognized option: -x');
    expect(failure(['-sx', '/'], LS)).toBe('Unrecognized option: -sx');
    expect(failure(['/x', '-1'], SET)).toBe('Unrecognized option: -1');
    expect(failure(['--long', '/'], LS)).toBe('Unrecognized option: --long');
    expect(failure(['-v'], SET)).toBe('Missing argument for option: v');
    expect(failure(['-v', '-s', '/x', 'd'], SET)).toBe('Missing argument for option: v');
  });
});

describe('intOption', () => {
  const v = (text: string): number => intOption(parseOptions(['-v', text], SET), 'v', -1);

  it('reads 32-bit integers as Java does, with the fallback when absent', () => {
    expect(v('7')).toBe(7);
    expect(v('+2')).toBe(2);
    expect(v('-1')).toBe(-1);
    expect(v('2147483647')).toBe(2147483647);
    expect(intOption(parseOptions([], SET), 'v', -1)).toBe(-1);
  });

  it('names the option when its value is not an int', () => {
    for (const bad of ['abc', '2.0', '2147483648', '0x10', '']) {
      expect(() => v(bad), bad).toThrow('-v argument must be an int value');
    }
  });
});
