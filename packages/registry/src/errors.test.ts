import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REGISTRY_ERROR_CODES, RegistryError, invalid } from './errors.js';

describe('registry errors', () => {
  it('the README documents every code in the table, and no other', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual([...REGISTRY_ERROR_CODES.keys()]);
  });

  it('carries the code and the bad value, and bounds the quoted value', () => {
    const err = invalid('INVALID_SERVICE', 'service name', 'x'.repeat(500), 'too long');
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ name: 'RegistryError', code: 'INVALID_SERVICE', value: 'x'.repeat(500) });
    expect(err.message.length).toBeLessThan(200);
  });
});
