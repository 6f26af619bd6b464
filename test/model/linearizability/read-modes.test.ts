import { describe, expect, it } from 'vitest';
import { checkLinearizability, type CheckResult, type ReadMode, zookeeperModel } from './index.js';
import { get, ok, op, set, value, type ZkOp } from './dsl.js';

const model = zookeeperModel({ initial: { '/a': { data: '0' } } });

function verdicts(history: readonly ZkOp[]): Record<ReadMode, CheckResult['verdict']> {
  const one = (reads: ReadMode): CheckResult['verdict'] => checkLinearizability(model, history, { reads }).verdict;
  return { linearizable: one('linearizable'), sequential: one('sequential'), excluded: one('excluded') };
}

const write1 = op(1, 0, 10, set('/a', '1'), ok({ version: 1 }));

describe('read modes', () => {
  it('a plain stale read on a follower: a violation only when reads must be linearizable', () => {
    expect(verdicts([write1, op(2, 20, 30, get('/a'), value('0', 0))]))
      .toEqual({ linearizable: 'violation', sequential: 'linearizable', excluded: 'linearizable' });
  });

  it('a stale read after sync is a violation in every mode', () => {
    expect(verdicts([write1, op(2, 20, 30, get('/a'), value('0', 0), true)]))
      .toEqual({ linearizable: 'violation', sequential: 'violation', excluded: 'violation' });
  });

  it('a client not seeing its own completed write breaks sequential consistency', () => {
    expect(verdicts([write1, op(1, 20, 30, get('/a'), value('0', 0))]))
      .toEqual({ linearizable: 'violation', sequential: 'violation', excluded: 'linearizable' });
  });

  it('a client seeing the old value after the new one breaks sequential consistency (monotonic reads)', () => {
    expect(verdicts([write1, op(2, 20, 30, get('/a'), value('1', 1)), op(2, 40, 50, get('/a'), value('0', 0))]))
      .toEqual({ linearizable: 'violation', sequential: 'violation', excluded: 'linearizable' });
  });

  it('two clients may lag by different amounts, each moving forward', () => {
    const write2 = op(1, 20, 30, set('/a', '2'), ok({ version: 2 }));
    expect(verdicts([
      write1, write2,
      op(2, 40, 50, get('/a'), value('1', 1)), op(2, 60, 70, get('/a'), value('2', 2)),
      op(3, 40, 50, get('/a'), value('0', 0)), op(3, 60, 70, get('/a'), value('1', 1)),
    ])).toEqual({ linearizable: 'violation', sequential: 'linearizable', excluded: 'linearizable' });
  });

  it('repeated stale reads of one client may all be older than its first call', () => {
    const late = [op(2, 40, 50, get('/a'), value('0', 0)), op(2, 60, 70, get('/a'), value('0', 0)), op(2, 80, 90, get('/a'), value('0', 0))];
    expect(verdicts([write1, ...late]).sequential).toBe('linearizable');
  });

  it('two readers seeing two concurrent writes in opposite orders breaks the single write order', () => {
    expect(verdicts([
      op(1, 0, 100, set('/a', 'x'), ok()),
      op(2, 0, 100, set('/a', 'y'), ok()),
      op(3, 110, 120, get('/a'), value('x', 1)), op(3, 130, 140, get('/a'), value('y', 2)),
      op(4, 110, 120, get('/a'), value('y', 1)), op(4, 130, 140, get('/a'), value('x', 2)),
    ])).toEqual({ linearizable: 'violation', sequential: 'violation', excluded: 'linearizable' });
  });

  it('a read cannot see a write that had not been called when it returned, in any mode', () => {
    expect(verdicts([op(2, 0, 5, get('/a'), value('1', 1)), op(1, 10, 20, set('/a', '1'), ok())]))
      .toEqual({ linearizable: 'violation', sequential: 'violation', excluded: 'linearizable' });
  });

  it('writes are checked in every mode', () => {
    const lost = [op(1, 0, 10, set('/a', 'x'), ok()), op(2, 20, 30, set('/a', 'y', 0), ok())];
    expect(verdicts(lost)).toEqual({ linearizable: 'violation', sequential: 'violation', excluded: 'violation' });
  });
});
