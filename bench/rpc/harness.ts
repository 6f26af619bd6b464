import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup } from '../support/cleanup.js';
import { LatencyHistogram } from '../support/latency-histogram.js';
import { acceptedConnections } from './accepted-connections.js';
import { closedLoop, type RoundResult } from './closed-loop.js';
import { withDriverProfile } from './driver-profile.js';
import type { RpcBenchParams } from './params.js';
import { startServerProcess } from './server-process.js';
import type { EchoSystem, PayloadKind } from './system.js';
import { SYSTEMS, type SystemName } from './systems.js';

/** One system over one number of connections. */
export interface Measurement {
  readonly system: SystemName;
  readonly connections: number;
  /** Connections the server held at the end of the measurement (/proc), null where unknown. */
  readonly accepted: number | null;
  readonly rounds: readonly RoundResult[];
  /** Every measured call of every round. */
  readonly latency: LatencyHistogram;
  readonly verified: number;
}

interface SystemInfo {
  readonly label: string;
  readonly payload: PayloadKind;
  readonly setupNote: string;
  readonly connectionsNote: string;
}

export interface RpcBenchResult {
  readonly systems: Partial<Record<SystemName, SystemInfo>>;
  readonly measurements: readonly Measurement[];
}

export interface RpcBenchOptions {
  readonly params: RpcBenchParams;
  readonly systems: readonly SystemName[];
  /** Progress lines (default: none). */
  readonly progress?: (line: string) => void;
  /** Profile this system's server (node --cpu-prof) and the driver into `profileDir`/{server,driver}. */
  readonly profile?: { readonly system: SystemName; readonly dir: string };
}

function callsPerSecond(r: RoundResult): number {
  return r.calls / (r.ms / 1000);
}

/** Median of the rounds' calls/s. */
export function medianRate(m: Measurement): number {
  const rates = m.rounds.map(callsPerSecond).sort((a, b) => a - b);
  const mid = rates.length >> 1;
  return rates.length % 2 ? rates[mid]! : (rates[mid - 1]! + rates[mid]!) / 2;
}

export function roundRates(m: Measurement): number[] {
  return m.rounds.map(callsPerSecond);
}

async function measureSystem(name: SystemName, system: EchoSystem, o: RpcBenchOptions, out: Measurement[]): Promise<void> {
  const say = o.progress ?? (() => undefined);
  const p = o.params;
  const profiled = o.profile?.system === name ? o.profile.dir : undefined;
  const cleanup = new Cleanup();
  try {
    let nodeArgs: string[] = [];
    if (profiled !== undefined) {
      mkdirSync(join(profiled, 'server'), { recursive: true });
      mkdirSync(join(profiled, 'driver'), { recursive: true });
      nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${join(profiled, 'server')}`];
    }
    const server = await startServerProcess(name, nodeArgs);
    cleanup.add(() => server.stop());
    for (const connections of p.connections) {
      const driver = await system.connect(server.port, connections);
      // Closed before the next connection count (its sockets must not be counted there), or by the cleanup on failure.
      let closing: Promise<void> | null = null;
      const close = (): Promise<void> => (closing ??= driver.close());
      cleanup.add(close);
      const run = (): ReturnType<typeof closedLoop> => closedLoop(driver.callers, {
        concurrency: p.concurrency, warmupMs: p.warmupMs, roundMs: p.roundMs, rounds: p.rounds,
        payloadBytes: p.payloadBytes, kind: system.payload, verifyEvery: p.verifyEvery, serverPid: server.pid,
      });
      let loop: Awaited<ReturnType<typeof closedLoop>>;
      try {
        loop = profiled === undefined ? await run() : await withDriverProfile(join(profiled, 'driver'), run);
      } catch (err) {
        throw new Error(`${system.label} over ${connections} connection(s) failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      const accepted = acceptedConnections(server.port);
      await close();
      const latency = new LatencyHistogram();
      for (const r of loop.rounds) latency.merge(r.latency);
      const m: Measurement = { system: name, connections, accepted, rounds: loop.rounds, latency, verified: loop.verified };
      out.push(m);
      say(`${system.label} x${connections}: ${Math.round(medianRate(m)).toLocaleString('en-US')} calls/s, p99 ${latency.quantileMs(0.99).toFixed(2)} ms (${loop.verified} echoes verified)`);
    }
  } finally {
    await cleanup.run();
  }
}

/**
 * One system at a time: its server starts in its own process, then for each connection count
 * the driver (this process) connects, warms up and measures a closed loop, and closes; the
 * server stops before the next system starts. Stops everything it started, also on failure.
 */
export async function runRpcBench(o: RpcBenchOptions): Promise<RpcBenchResult> {
  const say = o.progress ?? (() => undefined);
  const systems: Partial<Record<SystemName, SystemInfo>> = {};
  const measurements: Measurement[] = [];
  for (const name of o.systems) {
    const system = await SYSTEMS[name]();
    const { label, payload, setupNote, connectionsNote } = system;
    systems[name] = { label, payload, setupNote, connectionsNote };
    say(`${system.label}: starting its server`);
    await measureSystem(name, system, o, measurements);
  }
  return { systems, measurements };
}
