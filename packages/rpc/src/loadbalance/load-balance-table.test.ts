import { describe, expect, it } from 'vitest';
import { OPTION_ERROR_CODE, OptionError } from '@paddock/edges';
import { createLoadBalance, DEFAULT_LOAD_BALANCE, LOAD_BALANCE_NAMES } from './load-balance-table.js';

describe('load balancer table', () => {
  it('has the six strategies, each created under its own name', () => {
    expect([...LOAD_BALANCE_NAMES].sort()).toEqual(
      ['consistent-hash', 'least-active', 'random', 'round-robin', 'shortest-response', 'weighted-random'].sort(),
    );
    for (const name of LOAD_BALANCE_NAMES) expect(createLoadBalance(name).name).toBe(name);
    expect(LOAD_BALANCE_NAMES).toContain(DEFAULT_LOAD_BALANCE);
  });

  it('creates a fresh instance each time (state is per reference)', () => {
    expect(createLoadBalance('round-robin')).not.toBe(createLoadBalance('round-robin'));
  });

  it('only shortest-response carries stats', () => {
    for (const name of LOAD_BALANCE_NAMES) expect(createLoadBalance(name).stats !== undefined).toBe(name === 'shortest-response');
  });

  it('rejects an unknown name with an OptionError naming it and the known ones', () => {
    for (const bad of ['leastactive', 'toString', '__proto__', '']) {
      let error: unknown;
      try {
        createLoadBalance(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OptionError);
      expect(error).toMatchObject({ code: OPTION_ERROR_CODE, option: 'loadbalance', value: bad });
      expect((error as OptionError).message).toContain(`"${bad}"`);
      expect((error as OptionError).message).toContain('least-active');
    }
  });
});
