import { describe, expect, it } from 'vitest';
import { Code, Ids, KeeperError, OpCode, StatsTrack } from '@paddock/coord-protocol';
import type { Logger } from '../base/logger.js';
import { DataTree } from '../tree/data-tree.js';
import { type PrepContext, prepCreate, prepSetData } from './prep.js';
import { PrepView } from './prep-view.js';
import { QuotaGuard } from './quota-guard.js';
import { prepMulti } from './writes.js';

const open = [...Ids.OPEN_ACL_UNSAFE];
let zxid = 0;

/** A tree with /a holding `children` nodes of 2 bytes and a quota on /a with these limits. */
function treeWithQuota(limits: StatsTrack, children = 1): DataTree {
  const tree = new DataTree();
  const mk = (p: string, d: string | null): void => { tree.createNode(p, d === null ? null : Buffer.from(d), open, 0n, 0, ++zxid, 0); };
  mk('/a', 'xx');
  for (let i = 0; i < children; i++) mk(`/a/c${i}`, 'yy');
  mk('/zookeeper/quota/a', null);
  mk('/zookeeper/quota/a/zookeeper_limits', limits.toString());
  mk('/zookeeper/quota/a/zookeeper_stats', 'count=0,bytes=0');
  return tree;
}

function context(tree: DataTree, warnings: string[] = [], enforce = true): PrepContext {
  const logger = { warn: (m: unknown, t?: string) => { warnings.push(String(t ?? m)); } } as unknown as Logger;
  return { view: new PrepView(tree), sessionId: 1n, authInfo: [], extendedTypes: true, quota: enforce ? new QuotaGuard(tree, logger) : null };
}

const create = (path: string, data: string | null = null) =>
  ({ path, data: data === null ? null : Buffer.from(data), acl: open, flags: 0 });

function code(f: () => unknown): number {
  try {
    f();
    return Code.OK;
  } catch (e) {
    return e instanceof KeeperError ? e.code : -999;
  }
}

describe('StatsTrack', () => {
  it('writes and reads the text ZooKeeper keeps in zookeeper_limits', () => {
    const st = new StatsTrack().set('count', -1).set('bytes', -1).set('countHardLimit', 3).set('byteHardLimit', -1);
    expect(st.toString()).toBe('count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=3');
    const back = StatsTrack.parse(st.toString());
    expect([back.get('count'), back.get('bytes'), back.get('countHardLimit'), back.get('byteHardLimit')]).toEqual([-1, -1, 3, -1]);
    expect(StatsTrack.parse('count=4,bytes=10').toString()).toBe('count=4,bytes=10');
    expect(StatsTrack.parse('').get('count')).toBe(-1);
    expect(() => StatsTrack.parse('count=x')).toThrow('count is not a number: x');
  });
});

describe('quota enforcement in prep', () => {
  it('counts the subtree the moment the stats node is made', () => {
    const tree = treeWithQuota(new StatsTrack().set('countHardLimit', 3), 1);
    expect(tree.getNode('/zookeeper/quota/a/zookeeper_stats')?.data?.toString()).toBe('count=2,bytes=4');
  });

  it('fails a create past a hard count limit with QuotaExceeded, and passes up to it', () => {
    const tree = treeWithQuota(new StatsTrack().set('count', -1).set('bytes', -1).set('countHardLimit', 3), 1);
    expect(code(() => prepCreate(OpCode.create, create('/a/c1'), context(tree)))).toBe(Code.OK);
    tree.createNode('/a/c1', null, open, 0n, 0, ++zxid, 0);
    expect(code(() => prepCreate(OpCode.create, create('/a/c2'), context(tree)))).toBe(Code.QuotaExceeded);
    // Off: the same write passes.
    expect(code(() => prepCreate(OpCode.create, create('/a/c2'), context(tree, [], false)))).toBe(Code.OK);
    // Outside the quota: passes.
    expect(code(() => prepCreate(OpCode.create, create('/b'), context(tree)))).toBe(Code.OK);
  });

  it('checks setData by the change in bytes, before the version', () => {
    const tree = treeWithQuota(new StatsTrack().set('byteHardLimit', 6), 1);
    // 4 bytes now: growing /a/c0 from 2 to 4 is at the limit, to 5 past it.
    expect(code(() => prepSetData({ path: '/a/c0', data: Buffer.from('1234'), version: -1 }, context(tree)))).toBe(Code.OK);
    expect(code(() => prepSetData({ path: '/a/c0', data: Buffer.from('12345'), version: 7 }, context(tree)))).toBe(Code.QuotaExceeded);
    expect(code(() => prepSetData({ path: '/a/c0', data: Buffer.from('12345'), version: 7 }, context(tree, [], false)))).toBe(Code.BadVersion);
  });

  it('only warns past a soft limit, and a hard limit wins over a soft one', () => {
    const warnings: string[] = [];
    const soft = treeWithQuota(new StatsTrack().set('count', 2), 1);
    expect(code(() => prepCreate(OpCode.create, create('/a/c1'), context(soft, warnings)))).toBe(Code.OK);
    expect(warnings).toEqual(['Quota exceeded: /a [current count=3, softCountLimit=2]']);
    const both = treeWithQuota(new StatsTrack().set('count', 2).set('countHardLimit', 5), 1);
    warnings.length = 0;
    expect(code(() => prepCreate(OpCode.create, create('/a/c1'), context(both, warnings)))).toBe(Code.OK);
    expect(warnings).toEqual([]);
  });

  it('checks each op of a multi against the stats from before the multi, as ZooKeeper', () => {
    const tree = treeWithQuota(new StatsTrack().set('countHardLimit', 3), 1);
    const ops = [1, 2].map((i) => ({ type: OpCode.create, body: create(`/a/m${i}`) }));
    // Each create alone fits (2 + 1 <= 3), so the multi of two passes though together they do not.
    const ok = prepMulti(ops, context(tree));
    expect(ok.kind === 'multi' && ok.txns.map((t) => t.kind)).toEqual(['create', 'create']);
    tree.createNode('/a/c1', null, open, 0n, 0, ++zxid, 0);
    const failed = prepMulti(ops, context(tree));
    expect(failed.kind === 'multi' && failed.txns.map((t) => (t.kind === 'error' ? t.err : 0))).toEqual([Code.QuotaExceeded, Code.RuntimeInconsistency]);
  });

  it('reads a setData earlier in the same multi as the old data of a later one', () => {
    const tree = treeWithQuota(new StatsTrack().set('byteHardLimit', 5), 1);
    const set = (d: string) => ({ type: OpCode.setData, body: { path: '/a/c0', data: Buffer.from(d), version: -1 } });
    // 4 bytes: the first grows /a/c0 to 3 (5 <= 5), the second from 3 to 4 (5 <= 5), not from 2 (6 > 5).
    const r = prepMulti([set('123'), set('1234')], context(tree));
    expect(r.kind === 'multi' && r.txns.map((t) => t.kind)).toEqual(['setData', 'setData']);
  });
});
