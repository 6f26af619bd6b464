import { describe, expect, it } from 'vitest';
import { formatEnsembleBench, runEnsembleBench } from './ensemble-suite.js';
import { DEFAULT_PARAMS, SECTIONS, parseEnsembleArgs } from './params.js';

// Keeps `npm run bench -- ensemble` from rotting: a three-member Paddock ensemble of processes
// (the bin built by test/global-setup.ts), the floor (raw disk, a standalone server, the
// ensemble's leader and follower), every workload and one leader kill, with --quick's
// tiny counts. No timings are asserted; numbers only have to exist.
describe('ensemble bench', () => {
  it('runs every section against a Paddock ensemble with --quick and reports numbers', async () => {
    const cmd = parseEnsembleArgs(['--quick', '--ours-only']);
    const r = await runEnsembleBench(cmd, () => undefined);

    const floor = r.floor!;
    for (const raw of Object.values(floor.raw)) {
      expect(raw.ops).toBe(cmd.params.floorOps * cmd.params.rounds);
      expect(raw.p99Ms).toBeGreaterThanOrEqual(raw.p50Ms);
    }
    expect(Object.keys(floor.writers)).toEqual(['single', 'leader', 'follower']);
    for (const [target, row] of Object.entries(floor.writers)) {
      expect(row.paddock!.ops, target).toBe(cmd.params.floorOps * cmd.params.rounds);
      expect(row.paddock!.p99Ms, target).toBeGreaterThanOrEqual(row.paddock!.p50Ms);
      expect(row.zookeeper, target).toBeUndefined();
    }
    expect(r.writes!.rows.map((row) => row.workload)).toEqual(['setData via follower', 'setData via leader', 'create via follower', 'create via leader']);
    expect(r.reads!.rows.map((row) => row.workload)).toEqual(['getData over all 3']);
    for (const row of [...r.writes!.rows, ...r.reads!.rows]) {
      const ours = row.sides.paddock!;
      expect(ours.ops, row.workload).toBeGreaterThan(0);
      expect(ours.p99Ms, row.workload).toBeGreaterThanOrEqual(ours.p50Ms);
      expect(row.sides.zookeeper).toBeUndefined();
    }
    expect(r.gaps).toHaveLength(1);
    const [kill] = r.gaps[0]!.kills;
    expect(kill!.gapMs).toBeGreaterThan(0);
    expect(kill!.newLeader).not.toBe(kill!.killed);
    expect(kill!.firstAckMs).toBeGreaterThan(0);
    const report = formatEnsembleBench(r).join('\n');
    expect(report).toContain('write gap per kill, ms');
    expect(report).toMatch(/target, one durable writer on a single server within 2x the raw fsync floor: ours \d+\.\d\dx \((met|not met)\)/);
    expect(report).toMatch(/one setData in flight, ensemble of 3, through a follower +\d/);
    expect(report).toMatch(/ours leader +ours follower +ours other/);
  }, 120_000);

  it('parses the suite arguments and refuses bad ones with the usage', () => {
    expect(parseEnsembleArgs([]).params).toEqual(DEFAULT_PARAMS);
    expect(parseEnsembleArgs([]).sections).toEqual(SECTIONS);
    const quick = parseEnsembleArgs(['--quick', '--kills', '3']).params;
    expect(quick).toMatchObject({ kills: 3, rounds: 1, warmupMs: 0, tickTime: DEFAULT_PARAMS.tickTime });
    expect(parseEnsembleArgs(['--sections', 'gap,writes']).sections).toEqual(['writes', 'gap']);
    expect(() => parseEnsembleArgs(['--kills', '0'])).toThrow(/--kills expects an integer in 1..50, got "0"/);
    expect(() => parseEnsembleArgs(['--sections', 'reads,fast'])).toThrow(/--sections takes some of floor,writes,reads,gap, got "reads,fast"/);
    expect(() => parseEnsembleArgs(['--nope'])).toThrow();
  });
});
