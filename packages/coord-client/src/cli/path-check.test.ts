import { describe, expect, it } from 'vitest';
import { checkPath } from './path-check.js';

describe('checkPath', () => {
  it('accepts valid paths, and a sequential prefix ending in "/"', () => {
    for (const p of ['/', '/a', '/a/b.c', '/a/..b']) expect(() => checkPath(p), p).not.toThrow();
    expect(() => checkPath('/a/', true)).not.toThrow();
  });

  it('words refusals as zkCli prints them', () => {
    expect(() => checkPath('')).toThrow(/^Path length must be > 0$/);
    expect(() => checkPath('a')).toThrow(/^Path must start with \/ character$/);
    expect(() => checkPath('/a/')).toThrow(/^Path must not end with \/ character$/);
    expect(() => checkPath('/a//b')).toThrow('Invalid path string "/a//b" caused by empty node name specified @3');
    expect(() => checkPath('/a/.')).toThrow('Invalid path string "/a/." caused by relative paths not allowed @3');
    expect(() => checkPath('/a//', true)).toThrow('Invalid path string "/a//1" caused by empty node name specified @3');
  });
});
