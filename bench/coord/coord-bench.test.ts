import { describe, expect, it } from 'vitest';
import { runCoordBench } from './harness.js';
import { DEFAULT_BIG, DEFAULT_PARAMS, SECTIONS, parseCoordArgs } from './params.js';
import { measureRecovery } from './recovery.js';
import { formatCoordTable, formatRecoveryTable, formatStall, formatUnfinished } from './report.js';
import { measureSnapshotStall } from './snapshot-stall.js';
import { measureUnfinished } from './unfinished.js';
import { DURABLE_WORKLOADS } from './workloads.js';

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

  it('runs the durable writes (setData, create) with forceSync=yes', async () => {
    const params = { ...DEFAULT_PARAMS, sessions: 2, window: 4, runMs: 150, rounds: 1, warmupMs: 0, forceSync: true };
    const result = await runCoordBench({ params, sides: ['paddock'], workloads: DURABLE_WORKLOADS });
    expect(result.rows.map((r) => r.workload)).toEqual(['setData', 'create']);
    for (const row of result.rows) expect(row.sides.paddock!.ops, row.workload).toBeGreaterThan(0);
  }, 60_000);

  it('measures recovery of a (small) big data dir and memory per znode', async () => {
    const r = await measureRecovery('paddock', { znodes: 3000, dataBytes: 10, logTxns: 50, restarts: 1, zkHeapMb: 512 }, () => undefined);
    // The znodes, their 3 folders, /r, and / with /zookeeper, /zookeeper/quota, /zookeeper/config.
    expect(r.nodeCount).toBe(3000 + 3 + 1 + 4);
    expect(r.snapshotZxid, 'a snapshot of the whole tree').toBeGreaterThan(0);
    expect(r.tailTxns, 'the log after it').toBeGreaterThanOrEqual(50);
    expect(r.startMs).toHaveLength(1);
    expect(formatRecoveryTable([r]).join('\n')).toContain('RSS per znode');
  }, 120_000);

  it('measures the event-loop delay during a snapshot of our server', async () => {
    const r = await measureSnapshotStall(5000, 1);
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]!.turns).toBeGreaterThan(0);
    expect(formatStall(r).join('\n')).toContain('event-loop delay max');
  }, 60_000);

  it('measures what our server holds for stalled half frames, and closes them', async () => {
    const r = await measureUnfinished('paddock', { connections: 8, closeWaitMs: 20_000 }, () => undefined);
    expect(r.preClosedMs, 'the pre-handshake connections are closed').not.toBeNull();
    expect(r.postOpen).toBe(8);
    expect(formatUnfinished([r]).join('\n')).toMatch(/^ours .* 8\/8$/m);
  }, 60_000);

  it('parses the suite arguments and refuses bad ones with the usage', () => {
    expect(parseCoordArgs(['--sessions', '8', '--ours-only']).params.sessions).toBe(8);
    expect(parseCoordArgs([]).params).toEqual(DEFAULT_PARAMS);
    expect(() => parseCoordArgs(['--window', '0'])).toThrow(/--window expects an integer in 1..1024, got "0"/);
    expect(() => parseCoordArgs(['--nope'])).toThrow();
    expect(parseCoordArgs([]).sections).toEqual(SECTIONS);
    expect(parseCoordArgs([]).big).toEqual(DEFAULT_BIG);
    const picked = parseCoordArgs(['--sections', 'stall,durable', '--znodes', '5000', '--restarts', '2']);
    expect(picked.sections).toEqual(['durable', 'stall']);
    expect(picked.big).toMatchObject({ znodes: 5000, restarts: 2 });
    expect(() => parseCoordArgs(['--sections', 'main,fast'])).toThrow(/--sections takes some of main,durable,recovery,stall,unfinished, got "main,fast"/);
  });
});
