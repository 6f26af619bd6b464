import { OptionError } from '@paddock/edges';
import { describe, expect, it } from 'vitest';
import { checkLinearizability, type History, type Model } from './index.js';

/**
 * The checker knows nothing of ZooKeeper: any pure model works. Here a pool of tokens where
 * `take` removes one and returns it; a take without reply may have removed any of them, so
 * its step has one next state per token (a nondeterministic model).
 */
type PoolInput = { readonly op: 'take' } | { readonly op: 'count' };
type PoolState = readonly string[];

const pool: Model<PoolState, PoolInput, string | number> = {
  name: 'pool',
  partition: () => 'pool',
  init: () => ['a', 'b', 'c'],
  step(state, input, output) {
    if (input.op === 'count') return output === undefined || output === state.length ? [state] : [];
    if (output === undefined) return state.map((t) => state.filter((x) => x !== t));
    return state.includes(output as string) ? [state.filter((x) => x !== output)] : [];
  },
  key: (state) => state.join(','),
  isRead: (input) => input.op === 'count',
  validate(input, _output, where) {
    if (input.op !== 'take' && input.op !== 'count') throw new OptionError(`${where}.input.op`, (input as { op: unknown }).op, 'must be take or count');
  },
  describe: (input, output) => `${input.op} → ${output ?? '?'}`,
};

type PoolOp = History<PoolInput, string | number>[number];
const take = (client: number, call: number, ret: number, output: string): PoolOp => ({ client, call, ret, input: { op: 'take' }, output });

describe('a model of its own', () => {
  it('each token is taken once', () => {
    expect(checkLinearizability(pool, [take(1, 0, 10, 'a'), take(2, 0, 10, 'b')]).verdict).toBe('linearizable');
    expect(checkLinearizability(pool, [take(1, 0, 10, 'a'), take(2, 0, 10, 'a')]).verdict).toBe('violation');
  });

  it('a take without reply may have taken any token, or none', () => {
    const lost: PoolOp = { client: 1, call: 0, ret: Infinity, input: { op: 'take' } };
    const count = (n: number): PoolOp => ({ client: 3, call: 20, ret: 30, input: { op: 'count' }, output: n });
    expect(checkLinearizability(pool, [lost, take(2, 5, 10, 'c'), take(2, 11, 12, 'a'), count(0)]).verdict).toBe('linearizable');
    expect(checkLinearizability(pool, [lost, take(2, 5, 10, 'c'), take(2, 11, 12, 'a'), count(1)]).verdict).toBe('linearizable');
    expect(checkLinearizability(pool, [lost, take(2, 5, 10, 'c'), take(2, 11, 12, 'a'), take(2, 13, 14, 'b'), count(1)]).verdict).toBe('violation');
  });
});
