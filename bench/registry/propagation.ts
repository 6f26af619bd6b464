import type { Registration, Registry } from '@paddock/registry';
import { LatencyHistogram } from '../support/latency-histogram.js';
import { monotonicMs, type FromWorker } from './driver-protocol.js';
import { DriverWorker } from './driver-worker.js';
import { closeRegistries, openRegistries } from './registries.js';
import type { RegistryBenchParams } from './params.js';

const PROPAGATION_SERVICE = 'BenchPropagation';
const BASE_PORT = 20_000;
const EVENT_PORT = 30_000;

/** One server's propagation setup: a provider registry with the base list, and the consumer processes following it. */
export interface PropagationSide {
  readonly provider: Registry;
  readonly workers: readonly DriverWorker[];
  /** Ports used by joins so far; each join gets a new one. */
  joins: number;
  /** Ids of the expectations sent to the workers. */
  expectations: number;
}

/** What one round of joins and leaves measured on one server. */
export interface PropagationResult {
  /** Join → each consumer's list holds it, one sample per consumer per join. */
  readonly joinEach: LatencyHistogram;
  /** Join → the last consumer's list holds it, one sample per join. */
  readonly joinAll: LatencyHistogram;
  readonly leaveEach: LatencyHistogram;
  readonly leaveAll: LatencyHistogram;
}

export function emptyPropagation(): PropagationResult {
  return { joinEach: new LatencyHistogram(), joinAll: new LatencyHistogram(), leaveEach: new LatencyHistogram(), leaveAll: new LatencyHistogram() };
}

export function mergePropagation(into: PropagationResult, r: PropagationResult): void {
  into.joinEach.merge(r.joinEach);
  into.joinAll.merge(r.joinAll);
  into.leaveEach.merge(r.leaveEach);
  into.leaveAll.merge(r.leaveAll);
}

function instance(port: number) {
  return { service: PROPAGATION_SERVICE, protocol: 'tcp', host: '127.0.0.1', port, version: '1.0.0' } as const;
}

/** Registers the base providers and starts the consumer processes, their consumers spread evenly. */
export async function preparePropagation(connectString: string, p: RegistryBenchParams): Promise<PropagationSide> {
  const [provider] = await openRegistries(connectString, 1);
  const workers: DriverWorker[] = [];
  try {
    await Promise.all(Array.from({ length: p.baseProviders }, (_, i) => provider!.register(instance(BASE_PORT + i))));
    const processes = Math.min(p.driverProcesses, p.consumers);
    for (let k = 0; k < processes; k++) {
      const consumers = Math.floor(p.consumers / processes) + (k < p.consumers % processes ? 1 : 0);
      workers.push(await DriverWorker.start(connectString, consumers, PROPAGATION_SERVICE, p.baseProviders, p.watchMode));
    }
    return { provider: provider!, workers, joins: 0, expectations: 0 };
  } catch (err) {
    await closePropagation({ provider: provider!, workers, joins: 0, expectations: 0 });
    throw err;
  }
}

export async function closePropagation(side: PropagationSide): Promise<void> {
  await Promise.all(side.workers.map((w) => w.stop()));
  await closeRegistries([side.provider]);
}

/** The consumer processes' pids (their CPU is the driver's). */
export function driverPids(side: PropagationSide): number[] {
  return side.workers.flatMap((w) => (w.pid === undefined ? [] : [w.pid]));
}

/**
 * Arms every worker to watch for `port` being listed (or gone), then runs `act` and times, from
 * just before it, until every consumer's list shows it: each consumer's time into `each`, the
 * last one's into `all`.
 */
async function propagate(
  side: PropagationSide, act: () => Promise<unknown>, port: number, present: boolean,
  each: LatencyHistogram, all: LatencyHistogram, p: RegistryBenchParams, what: string,
): Promise<void> {
  const id = ++side.expectations;
  const armed = side.workers.map((w) => w.next((m) => m.kind === 'armed' && m.id === id));
  const seen = side.workers.map((w) => w.next((m): m is Extract<FromWorker, { kind: 'seen' }> => m.kind === 'seen' && m.id === id));
  for (const w of side.workers) w.send({ kind: 'expect', id, port, present });
  await Promise.all(armed);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not every consumer saw it within ${p.eventTimeoutMs} ms`)), p.eventTimeoutMs);
  });
  const t0 = monotonicMs();
  try {
    const acting = act();
    const reports = await Promise.race([Promise.all(seen), late]);
    await acting;
    let last = 0;
    for (const r of reports) {
      for (const at of r.at) {
        const ms = at - t0;
        each.recordMs(ms);
        if (ms > last) last = ms;
      }
    }
    all.recordMs(last);
  } finally {
    clearTimeout(timer);
  }
}

/** `count` joins, each followed by its leave; each waits until every consumer has seen it. */
export async function runPropagation(side: PropagationSide, p: RegistryBenchParams, count: number): Promise<PropagationResult> {
  const r = emptyPropagation();
  for (let i = 0; i < count; i++) {
    const port = EVENT_PORT + side.joins++;
    let joining: Promise<Registration> | undefined;
    const join = (): Promise<Registration> => (joining = side.provider.register(instance(port)));
    await propagate(side, join, port, true, r.joinEach, r.joinAll, p, `join of provider :${port}`);
    const registration = await joining!;
    await propagate(side, () => registration.unregister(), port, false, r.leaveEach, r.leaveAll, p, `leave of provider :${port}`);
  }
  return r;
}
