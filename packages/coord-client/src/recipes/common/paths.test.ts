import { describe, expect, it } from 'vitest';
import { Code, KeeperError } from '@paddock/coord-protocol';
import { recipePath } from './paths.js';

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
});
