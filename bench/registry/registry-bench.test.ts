import { describe, expect, it } from 'vitest';
import { DriverWorker } from './driver-worker.js';
import { runRegistryBench } from './harness.js';
import { DEFAULT_PARAMS, SECTIONS, parseRegistryArgs } from './params.js';
import { formatRegistryTable } from './report.js';

// Keeps `npm run bench -- registry` from rotting: the whole harness (server child process built
// by test/global-setup.ts, registries, both sections, the report) with tiny counts against our
// server only. No timings are asserted; numbers only have to exist.
describe('registry bench harness', () => {
  it('measures propagation and load against our server as a child process and reports them', async () => {
    const params = {
      ...DEFAULT_PARAMS, consumers: 70, baseProviders: 3, events: 2, warmupEvents: 1, rounds: 2, services: 4, providersPerService: 5, loads: 2,
    };
    const result = await runRegistryBench({ params, sides: ['paddock'], sections: SECTIONS });
    const ours = result.sides.paddock!;
    expect(result.sides.zookeeper).toBeUndefined();
    // Every consumer saw every measured join and leave: 2 events x 2 rounds x 70 consumers.
    expect(ours.propagation.joinEach.count).toBe(2 * 2 * 70);
    expect(ours.propagation.leaveEach.count).toBe(2 * 2 * 70);
    expect(ours.propagation.joinAll.count).toBe(4);
    expect(ours.propagation.leaveAll.count).toBe(4);
    expect(ours.load.count).toBe(2 * 2);
    expect(ours.propagation.joinEach.quantileMs(0.99)).toBeGreaterThan(0);
    expect(ours.load.quantileMs(0.5)).toBeGreaterThan(0);
    expect(result.versions.paddock).toMatch(/paddock/);
    const table = formatRegistryTable(result, params).join('\n');
    expect(table).toContain('provider joins -> each of 70 consumers sees it');
    expect(table).toContain('a consumer loads 20 providers of 4 services');
  }, 120_000);

  it('a consumer process that cannot start fails the run with its reason', async () => {
    await expect(DriverWorker.start('127.0.0.1:99999', 2, 'BenchPropagation', 0)).rejects.toThrow(/consumer worker \d+: .*99999/);
  });

  it('parses the suite arguments and refuses bad ones with the usage', () => {
    expect(parseRegistryArgs([]).params).toEqual(DEFAULT_PARAMS);
    expect(parseRegistryArgs([]).sections).toEqual(SECTIONS);
    const picked = parseRegistryArgs(['--consumers', '10', '--ours-only', '--sections', 'load']);
    expect(picked).toMatchObject({ oursOnly: true, sections: ['load'], params: { consumers: 10 } });
    expect(() => parseRegistryArgs(['--consumers', '0'])).toThrow(/--consumers expects an integer in 1..5000, got "0"/);
    expect(() => parseRegistryArgs(['--sections', 'fast'])).toThrow(/--sections takes some of propagation,load, got "fast"/);
    expect(parseRegistryArgs(['--watch-mode', 'oneShot']).params.watchMode).toBe('oneShot');
    expect(() => parseRegistryArgs(['--watch-mode', 'poll'])).toThrow(/--watch-mode takes auto or oneShot, got "poll"/);
    expect(() => parseRegistryArgs(['--nope'])).toThrow();
  });
});
