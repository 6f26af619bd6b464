import { describe, expect, it } from 'vitest';
import { runCoordBench } from './harness.js';
import { DEFAULT_PARAMS, parseCoordArgs } from './params.js';
import { formatCoordTable } from './report.js';

// Keeps `npm run bench -- coord` from rotting: the whole harness (server child process built by
// test/global-setup.ts, sessions, every workload, the report) with tiny counts against our
// server only. No timings are asserted; numbers only have to exist.
describe('coord bench harness', () => {
  it('runs every workload against our server as a child process and reports numbers', async () => {
    // 70 watchers: more sessions from one address than the default maxClientCnxns (60) allows.
    const params = { ...DEFAULT_PARAMS, sessions: 2, window: 4, runMs: 150, rounds: 2, warmupMs: 50, watchers: 70 };
    const result = await runCoordBench({ params, sides: ['paddock'] });

    expect(result.rows.map((r) => r.workload)).toEqual(['getData', 'setData', 'create+delete eph-seq', 'watch fan-out']);
    for (const row of result.rows) {
      const ours = row.sides.paddock!;
      expect(ours.ops, row.workload).toBeGreaterThan(0);
      expect(ours.opsPerSec, row.workload).toBeGreaterThan(0);
      expect(ours.p50Ms, row.workload).toBeGreaterThan(0);
      expect(ours.p99Ms, row.workload).toBeGreaterThanOrEqual(ours.p50Ms);
      expect(row.sides.zookeeper).toBeUndefined();
    }
    expect(result.versions.paddock).toMatch(/paddock/);
    const table = formatCoordTable(result).join('\n');
    expect(table).toContain('watch fan-out');
  }, 60_000);

  it('parses the suite arguments and refuses bad ones with the usage', () => {
    expect(parseCoordArgs(['--sessions', '8', '--ours-only']).params.sessions).toBe(8);
    expect(parseCoordArgs([]).params).toEqual(DEFAULT_PARAMS);
    expect(() => parseCoordArgs(['--window', '0'])).toThrow(/--window expects an integer in 1..1024, got "0"/);
    expect(() => parseCoordArgs(['--nope'])).toThrow();
  });
});
