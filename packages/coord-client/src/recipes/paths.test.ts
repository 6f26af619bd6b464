import { describe, expect, it } from 'vitest';
import { Code, KeeperError } from '@paddock/coord-protocol';
import { parseSequenced, protectedPrefix, recipePath, sortBySequence } from './paths.js';

describe('recipe paths', () => {
  it('rejects invalid paths with a BadArguments error that says why', () => {
    for (const bad of ['', 'locks', '/locks/', '/a//b', '/a/./b']) {
      let caught: unknown;
      try {
        recipePath(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught, bad).toBeInstanceOf(KeeperError);
      expect((caught as KeeperError).code).toBe(Code.BadArguments);
      expect((caught as KeeperError).message).toContain(`invalid path "${bad}"`);
    }
    expect(recipePath('/locks/a')).toBe('/locks/a');
  });

  it('parses protected sequential names, ids with dashes included', () => {
    const id = '3f1c9a2e-0b7d-4c1e-9f00-1234567890ab';
    expect(parseSequenced(`${protectedPrefix('write', id)}0000000042`)).toEqual({
      name: `write-${id}-0000000042`, kind: 'write', id, seq: 42,
    });
    expect(parseSequenced('lock-0000000001')).toBeNull();
    expect(parseSequenced('_c_abc-lock-0000000001')).toBeNull();
    expect(parseSequenced('lock-x-000000001')).toBeNull();
  });

  it('sorts by sequence and keeps only the asked kinds', () => {
    const names = ['read-b-0000000003', 'write-a-0000000001', 'foreign', 'n-c-0000000000', 'read-d-0000000002'];
    expect(sortBySequence(names, new Set(['read', 'write'])).map((n) => n.name)).toEqual([
      'write-a-0000000001', 'read-d-0000000002', 'read-b-0000000003',
    ]);
  });
});
