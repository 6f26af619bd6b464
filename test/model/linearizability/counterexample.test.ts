import { describe, expect, it } from 'vitest';
import { checkLinearizability, type Violation, zookeeperModel } from './index.js';
import { get, ok, op, set, value, type ZkOp } from './dsl.js';

const model = zookeeperModel({ initial: { '/a': { data: 'v0' }, '/b': { data: 'v0' } } });

/** Three clients taking turns on /a, one write and two reads a round, each op after the last. */
function rounds(from: number, count: number, t0: number): ZkOp[] {
  const out: ZkOp[] = [];
  for (let r = 0; r < count; r++) {
    const v = from + r;
    const t = t0 + r * 30;
    out.push(op(1, t, t + 5, set('/a', `v${v}`), ok({ version: v })));
    out.push(op(2, t + 10, t + 15, get('/a'), value(`v${v}`, v)));
    out.push(op(3, t + 20, t + 25, get('/b'), value('v0', 0)));
  }
  return out;
}

describe('counterexamples', () => {
  it('name the shortest failing prefix and only the ops that contradict each other', () => {
    const before = rounds(1, 10, 0);
    const stale = op(2, 300, 310, get('/a'), value('v3', 3));
    const history = [...before, stale, ...rounds(11, 10, 320)];
    const r = checkLinearizability(model, history);
    expect(r.verdict).toBe('violation');
    if (r.verdict !== 'violation') return;
    const v: Violation = r.violation;
    expect([v.partition, v.prefixEnd, v.closedBy, v.minimal]).toEqual(['znode /a', 310, 30, true]);
    // The stale read, the write it saw, and a completed write it missed; nothing after t=310.
    expect(v.ops).toContain(30);
    expect(v.ops.length).toBeLessThanOrEqual(4);
    expect([...v.ops, ...v.context].every((i) => history[i]!.call <= 310)).toBe(true);
    expect(v.text.split('\n')[0]).toBe('not linearizable (zookeeper) on znode /a');
    expect(v.text).toContain('shortest failing prefix: up to t=310, when #30 returned');
    expect(v.text).toContain('#30 client 2 [300, 310]: getData /a → ok "v3" v=3');
    console.log(v.text);
  });

  it('say when the shrink ran out of budget, and still prove the violation', () => {
    const history = [...rounds(1, 10, 0), op(2, 300, 310, get('/a'), value('v3', 3))];
    const r = checkLinearizability(model, history, { shrinkSteps: 5 });
    expect(r.verdict).toBe('violation');
    if (r.verdict === 'violation') expect([r.violation.minimal, r.violation.text]).toEqual([false, expect.stringContaining('maybe more than needed')]);
  });
});

describe('the step budget', () => {
  /** Many concurrent unversioned writes and a read of a value nobody wrote: exponential to refute. */
  function hard(writers: number): ZkOp[] {
    const ops = Array.from({ length: writers }, (_, i) => op(i + 1, 0, 100, set('/a', `w${i}`), ok()));
    return [...ops, op(0, 0, 100, get('/a'), value('nobody', 1))];
  }

  it('turns a search too large into "unknown", within the budget, never a hang', () => {
    const r = checkLinearizability(model, hard(18), { maxSteps: 20_000 });
    expect(r.verdict).toBe('unknown');
    expect(r.steps).toBeLessThanOrEqual(20_000);
    if (r.verdict === 'unknown') expect(r.reason).toContain('znode /a');
  });

  it('decides the same shape when it is small enough', () => {
    expect(checkLinearizability(model, hard(6), { maxSteps: 20_000 }).verdict).toBe('violation');
  });

  it('is shared by all partitions', () => {
    const history = [...hard(6), ...hard(6).map((o) => ({ ...o, client: `b${o.client}`, input: { ...o.input, path: '/b' } }))];
    const first = checkLinearizability(model, history.slice(0, 7));
    const r = checkLinearizability(model, history, { maxSteps: first.steps + 1 });
    expect([r.verdict, r.partitions]).toEqual(['violation', 1]);
  });
});
