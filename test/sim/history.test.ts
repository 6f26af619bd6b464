import { describe, expect, it } from 'vitest';
import type { History } from './history.js';
import { knobsFor } from './knobs.js';
import { type HistoryChecker, runSchedule } from './run-schedule.js';

const FIELDS = ['client', 'session', 'kind', 'path', 'input', 'output', 'error', 'call', 'ret', 'callTime', 'retTime', 'server', 'zxid'];

describe('client histories, the seam for a linearizability checker', () => {
  it('records each op with client, kind, path, input, output or error and its call and return steps', async () => {
    let judged: History | null = null;
    const r = await runSchedule(11, knobsFor(11, { faults: ['clientCrash'], steps: 1500 }), { checker: (h) => { judged = h; return null; } });
    expect(r.violation).toBeNull();
    expect(judged).toBe(r.history);
    const lines = r.history.toJsonLines().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(40);
    for (const op of lines) expect(Object.keys(op).sort()).toEqual([...FIELDS].sort());
    const done = lines.filter((o) => o.ret !== null);
    expect(done.every((o) => (o.ret as number) > (o.call as number) && (o.output === null) !== (o.error === null))).toBe(true);
    expect(new Set(lines.map((o) => o.kind))).toContain('get');
  });

  it('keeps an op whose connection was lost open-ended: no return, error ConnectionLoss', async () => {
    const lost = [];
    for (let seed = 1; seed <= 50 && lost.length === 0; seed++) {
      const r = await runSchedule(seed, knobsFor(seed, { faults: ['crash'], faultGapMs: 100 }));
      lost.push(...r.history.ops.filter((o) => o.error === 'ConnectionLoss'));
    }
    expect(lost.length).toBeGreaterThan(0);
    const open = lost;
    expect(open.every((o) => o.ret === null && o.output === null && o.retTime === null)).toBe(true);
  });

  it('fails the schedule with what a checker objects to', async () => {
    const checker: HistoryChecker = (h) => `not linearizable: ${h.ops.length} ops`;
    const r = await runSchedule(11, knobsFor(11, { faults: [] }), { checker });
    expect(r.violation).toMatch(/^not linearizable: \d+ ops$/);
    expect(r.report).toContain('replay: SIM_SEED=11');
  });
});
