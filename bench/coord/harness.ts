import { Cleanup } from '../support/cleanup.js';
import { startCoordServerProcess } from '../support/coord-server-process.js';
import { serverVersion } from '../support/four-letter.js';
import { LatencyHistogram } from '../support/latency-histogram.js';
import { ownCpuMs, processCpuMs } from '../support/process-cpu.js';
import type { PeerServer } from '../support/peer-server.js';
import { startZooKeeper } from '../support/zookeeper.js';
import type { CoordBenchParams } from './params.js';
import { closeSessions, openSessions, type Sessions } from './sessions.js';
import { WORKLOADS, prepareTree, type RunResult, type Workload } from './workloads.js';

export type SideName = 'zookeeper' | 'paddock';

export interface SideStats {
  readonly ops: number;
  readonly elapsedMs: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server CPU during the measured runs, % of one core; null where it cannot be read. */
  readonly serverCpuPct: number | null;
  /** This (driver) process's CPU during the measured runs, % of one core. */
  readonly driverCpuPct: number;
  /** ops/s of each measured round, in round order (the spread shows how noisy the machine was). */
  readonly perRound: readonly number[];
}

interface WorkloadRow {
  readonly workload: string;
  readonly unit: string;
  readonly sides: Partial<Record<SideName, SideStats>>;
}

export interface CoordBenchResult {
  /** What each server's `srvr` says its version is. */
  readonly versions: Partial<Record<SideName, string>>;
  readonly rows: readonly WorkloadRow[];
}

export interface CoordBenchOptions {
  readonly params: CoordBenchParams;
  /** Which servers to drive; both for a comparison. */
  readonly sides: readonly SideName[];
  /** Run our server under `node --cpu-prof`, writing the profile into this directory. */
  readonly cpuProfileDir?: string;
  /** Progress lines (default: none). */
  readonly progress?: (line: string) => void;
  /** What to run; default every workload of the main table (WORKLOADS). */
  readonly workloads?: readonly Workload[];
}

interface Side {
  readonly name: SideName;
  readonly server: PeerServer;
  readonly sessions: Sessions;
}

/** The zoo.cfg keys that matter here, given to both servers alike. */
function sharedZooCfg(p: CoordBenchParams): Record<string, string> {
  // maxClientCnxns=0: every session of the bench comes from 127.0.0.1 (the default limit is 60).
  return { forceSync: p.forceSync ? 'yes' : 'no', maxClientCnxns: '0', '4lw.commands.whitelist': '*' };
}

const SERVER_STARTERS: Record<SideName, (o: CoordBenchOptions) => Promise<PeerServer>> = {
  zookeeper: (o) => startZooKeeper({ forceSync: o.params.forceSync, extra: sharedZooCfg(o.params) }),
  paddock: (o) => startCoordServerProcess({
    zooCfg: sharedZooCfg(o.params),
    ...(o.cpuProfileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfileDir}`], stopGraceMs: 20_000 } : {}),
  }),
};

async function startSide(name: SideName, o: CoordBenchOptions, cleanup: Cleanup): Promise<Side> {
  const server = await SERVER_STARTERS[name](o);
  cleanup.add(() => server.stop());
  const sessions = await openSessions(server.connectString, o.params.sessions, o.params.watchers);
  cleanup.add(() => closeSessions(sessions));
  await prepareTree(sessions, o.params);
  return { name, server, sessions };
}


export interface Measured extends RunResult {
  readonly serverCpuMs: number | null;
  readonly driverCpuMs: number;
}

/** Names the workload and server in a failure (the client's error only names the path). */
async function runOne(w: Workload, s: Side, o: CoordBenchOptions, runMs: number): Promise<RunResult> {
  try {
    return await w.run(s.sessions, o.params, runMs);
  } catch (err) {
    throw new Error(`${w.name} on ${s.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** One run of a workload on one server, with the CPU both processes used meanwhile. */
async function measure(w: Workload, s: Side, o: CoordBenchOptions, runMs: number): Promise<Measured> {
  const pid = s.server.pid;
  const server0 = pid === undefined ? null : processCpuMs(pid);
  const driver0 = ownCpuMs();
  const r = await runOne(w, s, o, runMs);
  const driverCpuMs = ownCpuMs() - driver0;
  const server1 = pid === undefined ? null : processCpuMs(pid);
  return { ...r, driverCpuMs, serverCpuMs: server0 !== null && server1 !== null ? server1 - server0 : null };
}

export function stats(runs: readonly Measured[]): SideStats {
  const latency = new LatencyHistogram();
  let ops = 0;
  let elapsedMs = 0;
  let serverCpuMs: number | null = 0;
  let driverCpuMs = 0;
  for (const r of runs) {
    latency.merge(r.latency);
    ops += r.ops;
    elapsedMs += r.elapsedMs;
    driverCpuMs += r.driverCpuMs;
    serverCpuMs = serverCpuMs === null || r.serverCpuMs === null ? null : serverCpuMs + r.serverCpuMs;
  }
  const pct = (cpuMs: number): number => (elapsedMs > 0 ? (100 * cpuMs) / elapsedMs : 0);
  return {
    ops, elapsedMs, opsPerSec: elapsedMs > 0 ? (ops * 1000) / elapsedMs : 0,
    p50Ms: latency.quantileMs(0.5), p99Ms: latency.quantileMs(0.99),
    serverCpuPct: serverCpuMs === null ? null : pct(serverCpuMs), driverCpuPct: pct(driverCpuMs),
    perRound: runs.map((r) => (r.elapsedMs > 0 ? (r.ops * 1000) / r.elapsedMs : 0)),
  };
}

/**
 * Starts each server in its own process, opens the same sessions on each, warms every
 * workload up on every server, then runs `rounds` measured rounds in which the servers take
 * turns (the one that went second goes first next round). Stops everything it started, also
 * when a run fails.
 */
export async function runCoordBench(o: CoordBenchOptions): Promise<CoordBenchResult> {
  const say = o.progress ?? (() => undefined);
  const workloads = o.workloads ?? WORKLOADS;
  const cleanup = new Cleanup();
  let failed = false;
  try {
    const sides: Side[] = [];
    for (const name of o.sides) {
      say(`starting ${name} and opening ${o.params.sessions + o.params.watchers + 1} sessions`);
      sides.push(await startSide(name, o, cleanup));
    }
    const versions: Partial<Record<SideName, string>> = {};
    for (const s of sides) versions[s.name] = await serverVersion(s.server.port);
    if (o.params.warmupMs > 0) {
      for (const w of workloads) {
        for (const s of sides) {
          say(`warm-up ${w.name} on ${s.name}`);
          await runOne(w, s, o, o.params.warmupMs);
        }
      }
    }
    const runs = new Map<string, Measured[]>();
    for (let round = 0; round < o.params.rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const w of workloads) {
        for (const s of order) {
          const r = await measure(w, s, o, o.params.runMs);
          say(`round ${round + 1}/${o.params.rounds} ${w.name} on ${s.name}: ${Math.round((r.ops * 1000) / r.elapsedMs)} ${w.unit}/s`);
          const key = `${w.name}\0${s.name}`;
          runs.set(key, [...(runs.get(key) ?? []), r]);
        }
      }
    }
    const rows = workloads.map((w) => {
      const perSide: Partial<Record<SideName, SideStats>> = {};
      for (const s of sides) perSide[s.name] = stats(runs.get(`${w.name}\0${s.name}`) ?? []);
      return { workload: w.name, unit: w.unit, sides: perSide };
    });
    return { versions, rows };
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    say('stopping servers');
    // A cleanup failure must not hide the failure that got us here.
    await cleanup.run().catch((err: unknown) => {
      if (!failed) throw err;
      say(`cleanup also failed: ${String(err)}`);
    });
  }
}
