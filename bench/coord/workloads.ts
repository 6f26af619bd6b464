import { CreateMode, EventType, KeeperError, Code, type CoordClient, type WatchedEvent } from '@paddock/coord-client';
import { LatencyHistogram } from '../support/latency-histogram.js';
import type { CoordBenchParams } from './params.js';
import type { Sessions } from './sessions.js';

/** What one run of one workload on one server measured. */
export interface RunResult {
  /** Completed operations (a create+delete pair and a whole fan-out each count as one). */
  ops: number;
  elapsedMs: number;
  readonly latency: LatencyHistogram;
}

export interface Workload {
  readonly name: string;
  /** What one counted operation is, for the printed table. */
  readonly unit: string;
  /** Runs for about `runMs` (and at most the params' op bound); throws on the first failed op. */
  run(s: Sessions, p: CoordBenchParams, runMs: number): Promise<RunResult>;
}

const ROOT = '/paddock-bench';
const GET_NODE = `${ROOT}/get`;
const SET_NODE = `${ROOT}/set`;
const EPH_PARENT = `${ROOT}/eph`;
const WATCH_NODE = `${ROOT}/watch`;
const CREATE_PARENT = `${ROOT}/create`;

async function createIfMissing(c: CoordClient, path: string, data: Buffer): Promise<void> {
  try {
    await c.create(path, data);
  } catch (err) {
    if (!(err instanceof KeeperError && err.code === Code.NodeExists)) throw err;
    await c.setData(path, data);
  }
}

/** Creates the nodes every workload uses; idempotent. */
export async function prepareTree(s: Sessions, p: CoordBenchParams): Promise<void> {
  const c = s.writer;
  const data = payload(p);
  await createIfMissing(c, ROOT, Buffer.alloc(0));
  for (const path of [GET_NODE, SET_NODE, WATCH_NODE]) await createIfMissing(c, path, data);
  await createIfMissing(c, EPH_PARENT, Buffer.alloc(0));
  await createIfMissing(c, CREATE_PARENT, Buffer.alloc(0));
}

function payload(p: CoordBenchParams): Buffer {
  return Buffer.alloc(p.dataBytes, 0x61);
}

/** What bounds a windowed run: requests in flight per session, operations in all. */
export type WindowParams = Pick<CoordBenchParams, 'window' | 'maxOpsPerRun'>;

/**
 * Every driver session keeps `window` operations in flight until the time is up: as many
 * async loops per session, each issuing its next op when the previous one settles. Shared with
 * the ensemble bench, which drives sessions on chosen members.
 */
export async function windowed(
  drivers: readonly CoordClient[], p: WindowParams, runMs: number, op: (c: CoordClient) => Promise<unknown>,
): Promise<RunResult> {
  const latency = new LatencyHistogram();
  let started = 0;
  let done = 0;
  let failure: unknown = null;
  const start = performance.now();
  const deadline = start + runMs;
  const loop = async (c: CoordClient): Promise<void> => {
    while (failure === null && started < p.maxOpsPerRun) {
      const t0 = performance.now();
      if (t0 >= deadline) return;
      started++;
      await op(c);
      latency.recordMs(performance.now() - t0);
      done++;
    }
  };
  const loops: Promise<void>[] = [];
  for (const c of drivers) {
    for (let k = 0; k < p.window; k++) loops.push(loop(c).catch((err: unknown) => { failure ??= err; }));
  }
  await Promise.all(loops);
  const elapsedMs = performance.now() - start;
  if (failure !== null) throw failure;
  return { ops: done, elapsedMs, latency };
}

function withTimeout<T>(what: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([what, late]).finally(() => clearTimeout(timer));
}

/**
 * Every watcher session sets a one-shot data watch on one node; the writer changes it; one
 * fan-out lasts from just before the setData is sent until the last watcher has been called.
 * Then all watches are set again (counted in fan-outs/s, not in the latency) and it repeats.
 */
async function fanOut(s: Sessions, p: CoordBenchParams, runMs: number): Promise<RunResult> {
  const latency = new LatencyHistogram();
  const data = payload(p);
  const start = performance.now();
  const deadline = start + runMs;
  let ops = 0;
  while (ops < p.maxFanoutsPerRun && performance.now() < deadline) {
    let pending = s.watchers.length;
    let t0 = 0;
    let notified!: () => void;
    const all = new Promise<void>((resolve) => { notified = resolve; });
    const watcher = (event: WatchedEvent): void => {
      if (event.type !== EventType.NodeDataChanged) return;
      pending--;
      if (pending === 0) {
        latency.recordMs(performance.now() - t0);
        notified();
      }
    };
    await Promise.all(s.watchers.map((w) => w.getData(WATCH_NODE, watcher)));
    t0 = performance.now();
    const write = s.writer.setData(WATCH_NODE, data);
    // Awaited below; this only keeps a failure after a timeout from going unhandled.
    write.catch(() => undefined);
    await withTimeout(all, p.fanoutTimeoutMs, `fan-out: ${pending} of ${s.watchers.length} watchers not notified within ${p.fanoutTimeoutMs} ms`);
    await write;
    ops++;
  }
  return { ops, elapsedMs: performance.now() - start, latency };
}

const SET_DATA: Workload = {
  name: 'setData',
  unit: 'writes',
  run: (s, p, ms) => {
    const data = payload(p);
    return windowed(s.drivers, p, ms, (c) => c.setData(SET_NODE, data));
  },
};

/** Persistent sequential nodes that stay: each op is one create (the tree grows by the op count). */
const CREATE: Workload = {
  name: 'create',
  unit: 'creates',
  run: (s, p, ms) => {
    const data = payload(p);
    const opts = { mode: CreateMode.PERSISTENT_SEQUENTIAL };
    return windowed(s.drivers, p, ms, (c) => c.create(`${CREATE_PARENT}/c-`, data, opts));
  },
};

/** The writes compared with durability on both sides (our fdatasync group commit vs forceSync=yes). */
export const DURABLE_WORKLOADS: readonly Workload[] = [SET_DATA, CREATE];

/** The workloads, in the order they run and are printed. */
export const WORKLOADS: readonly Workload[] = [
  {
    name: 'getData',
    unit: 'reads',
    run: (s, p, ms) => windowed(s.drivers, p, ms, (c) => c.getData(GET_NODE)),
  },
  SET_DATA,
  {
    name: 'create+delete eph-seq',
    unit: 'pairs',
    run: (s, p, ms) => {
      const data = payload(p);
      const prefix = `${EPH_PARENT}/e-`;
      const opts = { mode: CreateMode.EPHEMERAL_SEQUENTIAL };
      return windowed(s.drivers, p, ms, async (c) => c.delete(await c.create(prefix, data, opts)));
    },
  },
  {
    name: `watch fan-out`,
    unit: 'fan-outs',
    run: fanOut,
  },
];
