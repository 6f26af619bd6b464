import { describe, expect, it } from 'vitest';
import { runRpcBench } from './harness.js';
import { DEFAULT_PARAMS, QUICK, parseRpcArgs, type RpcBenchParams } from './params.js';
import { formatNotes, formatRpcTable, formatVerdicts } from './report.js';
import { SYSTEM_NAMES } from './systems.js';

// Keeps `npm run bench -- rpc` from rotting: every system's server as a child process (built
// by test/global-setup.ts), the closed loop over 1 and 2 connections, the report. No timings
// are asserted; the numbers only have to exist and every echo has to be right.
describe('rpc bench harness', () => {
  it('measures every system over 1 and 2 connections, verifying echoes, and reports them', async () => {
    const params: RpcBenchParams = { ...DEFAULT_PARAMS, concurrency: 8, connections: [1, 2], warmupMs: 100, roundMs: 200, rounds: 2, verifyEvery: 4 };
    const result = await runRpcBench({ params, systems: SYSTEM_NAMES });
    expect(result.measurements.map((m) => `${m.system}x${m.connections}`)).toEqual(SYSTEM_NAMES.flatMap((s) => [`${s}x1`, `${s}x2`]));
    for (const m of result.measurements) {
      const what = `${m.system} x${m.connections}`;
      expect(m.rounds, what).toHaveLength(2);
      for (const r of m.rounds) expect(r.calls, what).toBeGreaterThan(0);
      expect(m.verified, what).toBeGreaterThan(0);
      expect(m.latency.count, what).toBe(m.rounds[0]!.calls + m.rounds[1]!.calls);
      expect(m.latency.quantileMs(0.99), what).toBeGreaterThan(0);
      // The connections asked for are the ones the server held.
      if (m.accepted !== null) expect(m.accepted, what).toBe(m.connections);
    }
    expect(result.systems.moleculer?.payload).toBe('text');
    const table = formatRpcTable(result).join('\n');
    for (const s of SYSTEM_NAMES) expect(table).toContain(result.systems[s]!.label);
    const verdicts = formatVerdicts(result, params);
    expect(verdicts).toHaveLength(3 * 2);
    for (const v of verdicts) expect(v).toMatch(/^ {2}(PASS|MISS) {2}tcp >= /);
    expect(formatNotes(result).join('\n')).toContain('moleculer tcp (--only moleculer): an ASCII string (no binary payload)');
  }, 60_000);

  it('parses the suite arguments, the quick preset, and refuses bad ones with the usage', () => {
    expect(parseRpcArgs([]).params).toEqual(DEFAULT_PARAMS);
    expect(parseRpcArgs([]).systems).toEqual(SYSTEM_NAMES);
    expect(parseRpcArgs(['--quick']).params).toMatchObject(QUICK);
    const picked = parseRpcArgs(['--quick', '--rounds', '5', '--only', 'raw,tcp', '--connections', '2,4', '--profile', 'tcp']);
    expect(picked).toMatchObject({ systems: ['tcp', 'raw'], profile: 'tcp', params: { rounds: 5, connections: [2, 4], roundMs: QUICK.roundMs } });
    expect(() => parseRpcArgs(['--concurrency', '0'])).toThrow(/--concurrency expects an integer in 1..10000, got "0"/);
    expect(() => parseRpcArgs(['--only', 'thrift'])).toThrow(/--only takes some of tcp,http,grpc,moleculer,raw, got "thrift"/);
    expect(() => parseRpcArgs(['--connections', '1,x'])).toThrow(/--connections expects an integer in 1..64, got "x"/);
    expect(() => parseRpcArgs(['--profile', 'nope'])).toThrow(/--profile takes one of/);
    expect(() => parseRpcArgs(['--nope'])).toThrow();
  });
});
