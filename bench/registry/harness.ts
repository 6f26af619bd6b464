import { Cleanup } from '../support/cleanup.js';
import { startCoordServerProcess } from '../support/coord-server-process.js';
import { serverVersion } from '../support/four-letter.js';
import { LatencyHistogram } from '../support/latency-histogram.js';
import type { PeerServer } from '../support/peer-server.js';
import { ownCpuMs, processCpuMs } from '../support/process-cpu.js';
import { startZooKeeper } from '../support/zookeeper.js';
import { loadOnce, prepareLoad } from './load.js';
import type { RegistryBenchParams, Section } from './params.js';
import {
  closePropagation, driverPids, emptyPropagation, mergePropagation, preparePropagation, runPropagation, type PropagationResult,
  type PropagationSide,
} from './propagation.js';

export type SideName = 'zookeeper' | 'paddock';

/** Both servers get these zoo.cfg keys: no fsync per write, no per-IP connection limit (every session is from 127.0.0.1). */
const ZOO_CFG: Readonly<Record<string, string>> = { forceSync: 'no', maxClientCnxns: '0', '4lw.commands.whitelist': '*' };

const SERVER_STARTERS: Record<SideName, () => Promise<PeerServer>> = {
  zookeeper: () => startZooKeeper({ forceSync: false, extra: { ...ZOO_CFG } }),
  paddock: () => startCoordServerProcess({ zooCfg: ZOO_CFG }),
};

export interface SideResult {
  /** Every measured join and leave. */
  readonly propagation: PropagationResult;
  /** The same, round by round (the spread of the per-round ratios shows how noisy the machine was). */
  readonly rounds: PropagationResult[];
  /** Cold-start time of a consumer loading every service of the load test, one sample per load. */
  readonly load: LatencyHistogram;
  /** CPU used during the measured joins and leaves (a join and its leave count as one event). */
  readonly cpu: { serverMs: number | null; driverMs: number; events: number };
}

export interface RegistryBenchResult {
  /** What each server's `srvr` says its version is. */
  readonly versions: Partial<Record<SideName, string>>;
  readonly sides: Partial<Record<SideName, SideResult>>;
}

export interface RegistryBenchOptions {
  readonly params: RegistryBenchParams;
  readonly sides: readonly SideName[];
  readonly sections: readonly Section[];
  /** Progress lines (default: none). */
  readonly progress?: (line: string) => void;
}

interface Side {
  readonly name: SideName;
  readonly server: PeerServer;
  readonly result: SideResult;
}


/** CPU of the driver: this process (the provider) and the consumer processes. */
function driverCpuMs(side: PropagationSide): number {
  return driverPids(side).reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), ownCpuMs());
}

/** Names the server in a failure (the registry's own errors name only paths and services). */
async function on<T>(side: Side, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new Error(`${what} on ${side.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Servers take turns: the one that went second goes first next time. */
function order(sides: readonly Side[], turn: number): readonly Side[] {
  return turn % 2 === 0 ? sides : [...sides].reverse();
}

async function propagationSection(sides: readonly Side[], o: RegistryBenchOptions, cleanup: Cleanup): Promise<void> {
  const say = o.progress ?? (() => undefined);
  const p = o.params;
  const prepared = new Map<SideName, Awaited<ReturnType<typeof preparePropagation>>>();
  for (const s of sides) {
    say(`${s.name}: registering ${p.baseProviders} providers, opening ${p.consumers} consumer registries`);
    const side = await on(s, 'propagation setup', () => preparePropagation(s.server.connectString, p));
    cleanup.add(() => closePropagation(side));
    prepared.set(s.name, side);
    if (p.warmupEvents > 0) await on(s, 'propagation warm-up', () => runPropagation(side, p, p.warmupEvents));
  }
  for (let round = 0; round < p.rounds; round++) {
    const perSide = new Map(sides.map((s) => [s.name, emptyPropagation()]));
    // Servers take turns event by event, so a busy spell of the machine hits both alike.
    for (let i = 0; i < p.events; i++) {
      for (const s of order(sides, i)) {
        const server0 = s.server.pid === undefined ? null : processCpuMs(s.server.pid);
        const side = prepared.get(s.name)!;
        const driver0 = driverCpuMs(side);
        mergePropagation(perSide.get(s.name)!, await on(s, 'propagation', () => runPropagation(side, p, 1)));
        const server1 = s.server.pid === undefined ? null : processCpuMs(s.server.pid);
        const cpu = s.result.cpu;
        cpu.driverMs += driverCpuMs(side) - driver0;
        cpu.serverMs = cpu.serverMs === null || server0 === null || server1 === null ? null : cpu.serverMs + server1 - server0;
        cpu.events++;
        // The next turn is the other server's: let this one's after-work (a JVM's GC and JIT
        // threads, a log write) finish first, so it does not land on the other's measurement.
        await new Promise((resolve) => setTimeout(resolve, p.settleMs));
      }
    }
    for (const s of sides) {
      const r = perSide.get(s.name)!;
      mergePropagation(s.result.propagation, r);
      s.result.rounds.push(r);
      say(`round ${round + 1}/${p.rounds} propagation on ${s.name}: join p99 ${r.joinEach.quantileMs(0.99).toFixed(1)} ms, leave p99 ${r.leaveEach.quantileMs(0.99).toFixed(1)} ms`);
    }
  }
  // The next section runs without these thousands of sessions.
  for (const side of prepared.values()) await closePropagation(side);
}

async function loadSection(sides: readonly Side[], o: RegistryBenchOptions, cleanup: Cleanup): Promise<void> {
  const say = o.progress ?? (() => undefined);
  const p = o.params;
  for (const s of sides) {
    say(`${s.name}: registering ${(p.services * p.providersPerService).toLocaleString('en-US')} providers over ${p.services} services`);
    const providers = await on(s, 'load setup', () => prepareLoad(s.server.connectString, p));
    cleanup.add(async () => { await Promise.allSettled(providers.map((r) => r.close())); });
    await on(s, 'load warm-up', () => loadOnce(s.server.connectString, p));
  }
  for (let round = 0; round < p.rounds; round++) {
    for (let i = 0; i < p.loads; i++) {
      for (const s of order(sides, i)) s.result.load.recordMs(await on(s, 'load', () => loadOnce(s.server.connectString, p)));
    }
    for (const s of sides) say(`round ${round + 1}/${p.rounds} load on ${s.name}: p50 ${s.result.load.quantileMs(0.5).toFixed(1)} ms so far`);
  }
}

/**
 * Starts each server in its own process, then measures the sections (propagation's consumers in
 * driver processes, its provider and the load's registries in this one), the servers taking
 * turns event by event. Stops everything it started, also when a
 * run fails.
 */
export async function runRegistryBench(o: RegistryBenchOptions): Promise<RegistryBenchResult> {
  const say = o.progress ?? (() => undefined);
  const cleanup = new Cleanup();
  let failed = false;
  try {
    const sides: Side[] = [];
    for (const name of o.sides) {
      say(`starting ${name}`);
      const server = await SERVER_STARTERS[name]();
      cleanup.add(() => server.stop());
      sides.push({ name, server, result: { propagation: emptyPropagation(), rounds: [], load: new LatencyHistogram(), cpu: { serverMs: 0, driverMs: 0, events: 0 } } });
    }
    const versions: Partial<Record<SideName, string>> = {};
    for (const s of sides) versions[s.name] = await serverVersion(s.server.port);
    if (o.sections.includes('propagation')) await propagationSection(sides, o, cleanup);
    if (o.sections.includes('load')) await loadSection(sides, o, cleanup);
    return { versions, sides: Object.fromEntries(sides.map((s) => [s.name, s.result])) };
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    say('closing registries and stopping servers');
    // A cleanup failure must not hide the failure that got us here.
    await cleanup.run().catch((err: unknown) => {
      if (!failed) throw err;
      say(`cleanup also failed: ${String(err)}`);
    });
  }
}
