import { describe, expect, it } from 'vitest';
import type { ZkInput, ZkOutput } from '../../model/linearizability/index.js';
import type { Entry } from './recorder.js';
import { minorityReport } from './round-checks.js';

const watch = { leader: 3, mode: 'drop' as const, from: 100, stepDown: 400, healed: 900 };

function entry(via: number | null, call: number, ret: number, input: ZkInput, output?: ZkOutput): Entry {
  return { client: `c${via}`, call, ret, input, via, ...(output ? { output } : {}) };
}

const set: ZkInput = { op: 'setData', path: '/a', data: 'x', version: -1 };
const get: ZkInput = { op: 'getData', path: '/a' };

describe('the minority leader check', () => {
  it('accepts replies to writes sent before the cut, reads, open writes and other servers\' acks', () => {
    const r = minorityReport(watch, [
      entry(3, 90, 150, set, { code: 'ok', version: 1 }),
      entry(3, 200, 210, get, { code: 'ok', data: 'x', version: 1 }),
      entry(3, 220, Infinity, set),
      entry(1, 300, 500, set, { code: 'ok', version: 2 }),
      entry(3, 950, 960, set, { code: 'ok', version: 3 }),
    ]);
    expect(r.violations).toEqual([]);
    expect(r.tally).toBe('1 writes sent to it while cut off, 0 acknowledged against the rules');
  });

  it('flags a write sent after the cut and acknowledged, and one acknowledged after the leader stepped down', () => {
    const r = minorityReport(watch, [
      entry(3, 120, 130, { op: 'create', path: '/b', data: 'y' }, { code: 'NodeExists' }),
      entry(3, 90, 450, set, { code: 'ok', version: 1 }),
    ]);
    expect(r.violations).toHaveLength(2);
    expect(r.violations[0]).toMatch(/acknowledged a write sent after its links went down at 100: c3 create \/b \[120, 130\] → NodeExists/);
    expect(r.violations[1]).toMatch(/acknowledged a write after it stopped leading at 400: c3 setData \/a \[90, 450\] → ok/);
  });
});
