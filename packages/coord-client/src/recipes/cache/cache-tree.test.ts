import { describe, expect, it } from 'vitest';
import type { Stat } from '@paddock/coord-protocol';
import { CacheTree } from './cache-tree.js';

function stat(czxid: number, mzxid: number): Stat {
  return {
    czxid, mzxid, pzxid: czxid, ctime: 0, mtime: 0, version: mzxid - czxid, cversion: 0, aversion: 0,
    ephemeralOwner: 0n, dataLength: 0, numChildren: 0,
  } as Stat;
}
const data = (s: string): Buffer => Buffer.from(s);
const summary = (changes: { type: string; node: { path: string } }[]): string[] => changes.map((c) => `${c.type} ${c.node.path}`);

describe('CacheTree', () => {
  it('reports added, updated on a new mzxid only, and removes subtrees deepest first', () => {
    const t = new CacheTree('/r', 100);
    expect(summary(t.upsert('/r', data(''), stat(1, 1)))).toEqual(['added /r']);
    expect(summary(t.upsert('/r/a', data('x'), stat(2, 2)))).toEqual(['added /r/a']);
    expect(summary(t.upsert('/r/a/b', data('y'), stat(3, 3)))).toEqual(['added /r/a/b']);
    expect(t.upsert('/r/a', data('x'), stat(2, 2))).toEqual([]);
    expect(summary(t.upsert('/r/a', data('z'), stat(2, 4)))).toEqual(['updated /r/a']);
    expect(t.childrenOf('/r')).toEqual(['a']);
    expect(summary(t.remove('/r/a'))).toEqual(['removed /r/a/b', 'removed /r/a']);
    expect(t.childrenOf('/r')).toEqual([]);
    expect(t.size).toBe(1);
  });

  it('treats a re-created node (new czxid) as removed and added', () => {
    const t = new CacheTree('/', 100);
    t.upsert('/a', data(''), stat(1, 1));
    t.upsert('/a/b', data(''), stat(2, 2));
    expect(summary(t.upsert('/a', data(''), stat(5, 5)))).toEqual(['removed /a/b', 'removed /a', 'added /a']);
  });

  it('diffs a full re-read against what it holds', () => {
    const t = new CacheTree('/r', 100);
    t.upsert('/r', data(''), stat(1, 1));
    t.upsert('/r/gone', data(''), stat(2, 2));
    t.upsert('/r/gone/deep', data(''), stat(3, 3));
    t.upsert('/r/same', data(''), stat(4, 4));
    t.upsert('/r/changed', data('1'), stat(5, 5));
    const fresh = new Map([
      ['/r', { data: data(''), stat: stat(1, 1) }],
      ['/r/same', { data: data(''), stat: stat(4, 4) }],
      ['/r/changed', { data: data('2'), stat: stat(5, 9) }],
      ['/r/new/x', { data: data(''), stat: stat(11, 11) }],
      ['/r/new', { data: data(''), stat: stat(10, 10) }],
    ]);
    expect(summary(t.replace(fresh))).toEqual([
      'removed /r/gone/deep', 'removed /r/gone', 'updated /r/changed', 'added /r/new', 'added /r/new/x',
    ]);
  });

  it('measures depth below the root and refuses to grow past its bound', () => {
    const t = new CacheTree('/r', 2);
    expect([t.depthOf('/r'), t.depthOf('/r/a'), t.depthOf('/r/a/b'), t.depthOf('/other'), t.depthOf('/rx')]).toEqual([0, 1, 2, -1, -1]);
    expect(new CacheTree('/', 1).depthOf('/a/b')).toBe(2);
    t.upsert('/r', data(''), stat(1, 1));
    t.upsert('/r/a', data(''), stat(2, 2));
    expect(() => t.upsert('/r/b', data(''), stat(3, 3))).toThrow(/TooManyNodes/);
  });
});
