import { describe, expect, it } from 'vitest';
import { checkLinearizability, type ZkModelOptions, zookeeperModel } from './index.js';
import { create, del, exists, fail, get, ok, op, open, set, value, verdict as check, type ZkOp } from './dsl.js';

const A = { initial: { '/a': { data: '0' } } } satisfies ZkModelOptions;

const verdict = (history: readonly ZkOp[], options: ZkModelOptions = A): string => check(history, options);

describe('register: the classic histories', () => {
  it('a read overlapping a write may see either value', () => {
    const w = op(1, 0, 100, set('/a', '1'), ok({ version: 1 }));
    expect(verdict([w, op(2, 10, 20, get('/a'), value('0', 0)), op(3, 30, 40, get('/a'), value('1', 1))])).toBe('linearizable');
    expect(verdict([w, op(2, 10, 20, get('/a'), value('1', 1)), op(3, 30, 40, get('/a'), value('1', 1))])).toBe('linearizable');
  });

  it('a stale read after a completed write is a violation, and the counterexample names both ops', () => {
    const r = checkLinearizability(zookeeperModel(A), [
      op(1, 0, 10, set('/a', '1'), ok({ version: 1 })),
      op(2, 20, 30, get('/a'), value('0', 0)),
    ]);
    expect(r.verdict).toBe('violation');
    if (r.verdict !== 'violation') return;
    expect(r.violation.partition).toBe('znode /a');
    expect(r.violation.ops).toEqual([0, 1]);
    expect(r.violation.closedBy).toBe(1);
    expect(r.violation.text).toContain('#1 client 2 [20, 30]: getData /a → ok "0" v=0');
  });

  it('two concurrent writes read in both orders by two readers is a violation', () => {
    const history = [
      op(1, 0, 100, set('/a', 'x'), ok()),
      op(2, 0, 100, set('/a', 'y'), ok()),
      op(3, 10, 20, get('/a'), value('x', 1)),
      op(3, 30, 40, get('/a'), value('y', 2)),
      op(4, 10, 20, get('/a'), value('y', 1)),
      op(4, 30, 40, get('/a'), value('x', 2)),
    ];
    expect(verdict(history)).toBe('violation');
    // Each reader alone is fine: either order of the writes explains it.
    expect(verdict(history.slice(0, 4))).toBe('linearizable');
    expect(verdict([...history.slice(0, 2), ...history.slice(4)])).toBe('linearizable');
  });

  it('a lost write (its version never counted) is a violation', () => {
    expect(verdict([
      op(1, 0, 10, set('/a', 'x'), ok()),
      op(2, 20, 30, set('/a', 'y'), ok()),
      op(3, 40, 50, get('/a'), value('y', 1)),
    ])).toBe('violation');
  });

  it('two conditional writes from the same version cannot both succeed', () => {
    const a = op(1, 0, 10, set('/a', 'x', 0), ok({ version: 1 }));
    expect(verdict([a, op(2, 5, 30, set('/a', 'y', 0), ok({ version: 1 }))])).toBe('violation');
    expect(verdict([a, op(2, 5, 30, set('/a', 'y', 0), fail('BadVersion'))])).toBe('linearizable');
  });
});

/** Each ZooKeeper outcome, once where it is right and once where it cannot be. */
const OUTCOMES: readonly { name: string; right: readonly ZkOp[]; wrong: readonly ZkOp[] }[] = [
  { name: 'create → NodeExists', right: [op(1, 0, 1, create('/a'), fail('NodeExists'))], wrong: [op(1, 0, 1, create('/b'), fail('NodeExists'))] },
  { name: 'create → ok', right: [op(1, 0, 1, create('/b', 'n'), ok()), op(1, 2, 3, get('/b'), value('n', 0))], wrong: [op(1, 0, 1, create('/a'), ok())] },
  { name: 'delete → NoNode', right: [op(1, 0, 1, del('/b'), fail('NoNode'))], wrong: [op(1, 0, 1, del('/a'), fail('NoNode'))] },
  { name: 'delete → BadVersion', right: [op(1, 0, 1, del('/a', 3), fail('BadVersion'))], wrong: [op(1, 0, 1, del('/a', 0), fail('BadVersion'))] },
  { name: 'delete → ok', right: [op(1, 0, 1, del('/a', 0), ok()), op(1, 2, 3, exists('/a'), fail('NoNode'))], wrong: [op(1, 0, 1, del('/a', 2), ok())] },
  { name: 'setData → NoNode', right: [op(1, 0, 1, set('/b', 'x'), fail('NoNode'))], wrong: [op(1, 0, 1, set('/a', 'x'), fail('NoNode'))] },
  { name: 'setData → BadVersion', right: [op(1, 0, 1, set('/a', 'x', 1), fail('BadVersion'))], wrong: [op(1, 0, 1, set('/a', 'x', -1), fail('BadVersion'))] },
  { name: 'setData → ok v', right: [op(1, 0, 1, set('/a', 'x', 0), ok({ version: 1 }))], wrong: [op(1, 0, 1, set('/a', 'x', 0), ok({ version: 0 }))] },
  { name: 'getData → NoNode', right: [op(1, 0, 1, get('/b'), fail('NoNode'))], wrong: [op(1, 0, 1, get('/a'), fail('NoNode'))] },
  { name: 'getData → ok', right: [op(1, 0, 1, get('/a'), value('0', 0))], wrong: [op(1, 0, 1, get('/a'), value('0', 1))] },
  { name: 'exists → NoNode', right: [op(1, 0, 1, exists('/b'), fail('NoNode'))], wrong: [op(1, 0, 1, exists('/a'), fail('NoNode'))] },
  { name: 'exists → ok', right: [op(1, 0, 1, exists('/a'), ok({ version: 0 }))], wrong: [op(1, 0, 1, exists('/b'), ok({ version: 0 }))] },
  {
    name: 'create after delete starts at version 0',
    right: [op(1, 0, 1, del('/a'), ok()), op(1, 2, 3, create('/a', 'z'), ok()), op(1, 4, 5, set('/a', 'w', 0), ok({ version: 1 }))],
    wrong: [op(1, 0, 1, del('/a'), ok()), op(1, 2, 3, create('/a', 'z'), ok()), op(1, 4, 5, set('/a', 'w', 1), ok({ version: 2 }))],
  },
];

describe('register: every ZooKeeper outcome', () => {
  for (const row of OUTCOMES) {
    it(row.name, () => {
      expect(verdict(row.right)).toBe('linearizable');
      expect(verdict(row.wrong)).toBe('violation');
    });
  }
});

describe('register: ops that got no reply', () => {
  const lost = open(1, 0, set('/a', '1'));

  it('must be assumed to have happened when a later read saw their value', () => {
    expect(verdict([lost, op(2, 20, 30, get('/a'), value('1', 1))])).toBe('linearizable');
  });

  it('once seen to have happened, cannot be undone', () => {
    expect(verdict([lost, op(2, 20, 30, get('/a'), value('1', 1)), op(3, 40, 50, get('/a'), value('0', 0))])).toBe('violation');
  });

  it('must not be assumed to have happened: reads may keep seeing the old value', () => {
    expect(verdict([lost, op(2, 20, 30, get('/a'), value('0', 0)), op(3, 1000, 1001, get('/a'), value('0', 0))])).toBe('linearizable');
  });

  it('may take effect late, after reads of the old value', () => {
    expect(verdict([lost, op(2, 20, 30, get('/a'), value('0', 0)), op(3, 40, 50, get('/a'), value('1', 1))])).toBe('linearizable');
  });

  it('cannot take effect before their call', () => {
    expect(verdict([op(2, 0, 5, get('/a'), value('1', 1)), open(1, 10, set('/a', '1'))])).toBe('violation');
  });

  it('an unconditional write without reply still bumps the version when it happened', () => {
    expect(verdict([lost, op(2, 20, 30, set('/a', '2'), ok({ version: 2 }))])).toBe('linearizable');
    expect(verdict([lost, op(2, 20, 30, set('/a', '2'), ok({ version: 3 }))])).toBe('violation');
  });
});
