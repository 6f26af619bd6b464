import { describe, expect, it } from 'vitest';
import { checkKey, checkNamespace, keyPath, nameError, namespacePath } from './config-names.js';

describe('config names', () => {
  it('accepts letters, digits and . _ - : after a letter or digit, up to 255 characters', () => {
    for (const ok of ['a', '0', 'feature.dark-mode', 'svc_1:timeout', 'A'.repeat(255)]) expect(nameError(ok), ok).toBeNull();
  });

  it('refuses path tricks, separators, spaces, other scripts and overlong names', () => {
    const bad = ['', '.', '..', '.hidden', '-x', '_x', 'a/b', 'a b', 'a\u0000', 'é', 'a'.repeat(256), 'tab\t'];
    for (const name of bad) expect(nameError(name), JSON.stringify(name)).not.toBeNull();
    expect(nameError(null)).toBe('must be a string, got object');
  });

  it('names the namespace, the key and the rule in its errors', () => {
    expect(() => checkNamespace('a/b')).toThrow(RangeError);
    expect(() => checkKey('ok', '..')).toThrow('invalid config key ".." in namespace "ok": must start with a letter or digit');
    expect(() => checkKey('n s', 'k')).toThrow('invalid config namespace "n s"');
  });

  it('maps names to /config/<namespace>/<key>', () => {
    expect(namespacePath('app')).toBe('/config/app');
    expect(keyPath('app', 'limit')).toBe('/config/app/limit');
  });
});
