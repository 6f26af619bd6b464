import { describe, expect, it } from 'vitest';
import type { ZkOp } from './dsl.js';
import { generateHistory, type GenerateOptions } from './generator.js';
import { checkLinearizability, type CheckOptions, type ReadMode, zookeeperModel } from './index.js';

/**
 * The size a real-process round records: 10 clients busy at once, 10,000 ops over 45 znodes
 * and 5 sequence parents, ops spread over up to 10 others. The figures are printed, never
 * asserted; what is asserted is that the checker decides within its step budget.
 */
const BIG: GenerateOptions = { clients: 10, ops: 10_000, keys: 45, parents: 5, spread: 100, noReply: 0.01, stale: 0 };
const BUDGET = 5_000_000;

function timed(label: string, history: readonly ZkOp[], options: ReturnType<typeof generateHistory>['options'], check: CheckOptions) {
  const started = performance.now();
  const r = checkLinearizability(zookeeperModel(options), history, check);
  const ms = (performance.now() - started).toFixed(0);
  console.log(`${label}: ${r.verdict} in ${ms} ms, ${r.steps} search steps over ${r.partitions} partitions (${history.length} ops)`);
  return r;
}

describe('a history of 10 clients × 1,000 ops on 50 keys', () => {
  for (const reads of ['linearizable', 'sequential'] as ReadMode[]) {
    it(`is decided within the step budget (${reads} reads)`, () => {
      const { history, options } = generateHistory(11, { ...BIG, stale: reads === 'sequential' ? 0.3 : 0 });
      const r = timed(`size, ${reads} reads`, history, options, { reads, maxSteps: BUDGET });
      expect(r.verdict).toBe('linearizable');
      expect(r.steps).toBeLessThanOrEqual(BUDGET);
    });
  }

  it('with a reused sequence number planted late, fails and names the two creates', () => {
    const { history, options } = generateHistory(12, BIG);
    const creates = history.filter((o) => o.input.op === 'createSequential' && o.output?.code === 'ok' && o.input.path === '/q0/item-');
    const first = creates[0]!;
    const last = creates[creates.length - 1]!;
    const planted = history.map((o) => (o === last ? { ...o, output: first.output! } : o));
    // The shrink can do little on a key this busy (each trial is a whole search): a small share.
    const r = timed('size, planted reuse', planted, options, { maxSteps: BUDGET, shrinkSteps: 200_000 });
    expect(r.verdict).toBe('violation');
    if (r.verdict !== 'violation') return;
    expect(r.violation.ops).toContain(history.indexOf(last));
    expect(r.violation.prefixEnd).toBe(last.ret);
    console.log(r.violation.text.split('\n').slice(0, 8).join('\n'));
  });
});
