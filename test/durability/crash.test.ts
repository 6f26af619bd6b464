import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Code, CoordClient, KeeperError } from '@paddock/coord-client';
import { seedFromEnv, seededRandom } from '@paddock/edges';
import { freePort } from '../support/ports.js';
import { stateReached } from '../client/waiting.js';
import {
  type DirModel, type WorkerOp, applyOp, describeOp, difference, execute, nextOp, observe,
} from './crash-model.js';
import { ServerProcess } from './server-process.js';

/**
 * Kill -9 under load, again and again: several sessions write (creates, setData, deletes,
 * multis, ephemerals) while the server child is SIGKILLed at a random point; after each
 * restart every acknowledged write must be there, a write cut off by the crash must have
 * happened entirely or not at all, and every session must still be alive with its ephemerals.
 * Replay a failure with CRASH_SEED=<seed>; CRASH_VERBOSE=1 prints what each kill verified.
 */
const SEED = seedFromEnv('CRASH_SEED');
const KILLS = 30;
const SESSIONS = 3;
const WORKERS_PER_SESSION = 4;
/** A kill comes after 0..this many acknowledged writes of the current run. */
const MAX_ACKS_BEFORE_KILL = 300;
/** Small, so snapshots are taken (and crashed into) throughout. */
const SNAP_COUNT = 60;
/** Znodes written once at the start, so every snapshot spans several chunks (event-loop turns). */
const BALLAST = 20_000;
const BALLAST_MULTI = 500;
/** Bound on each wait of a cycle: the kill, the writers stopping, reconnecting. */
const STEP_MS = 20_000;
const VERBOSE = process.env.CRASH_VERBOSE === '1';

interface Worker {
  readonly id: string;
  readonly dir: string;
  readonly client: CoordClient;
  readonly rng: () => number;
  model: DirModel;
  /** The write a crash cut off: its outcome is unknown until the server is read again. */
  pending: { op: WorkerOp; after: DirModel } | null;
  sent: number;
}

interface Totals {
  acked: number;
  cutApplied: number;
  cutLost: number;
  maxSnapshots: number;
}

function bounded<T>(what: string, p: Promise<T>, ms = STEP_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const isConnectionLoss = (e: unknown): boolean => e instanceof KeeperError && e.code === Code.ConnectionLoss;

/** Writes one op at a time until the server is killed; a write the kill cuts off becomes `pending`. */
async function write(w: Worker, killed: () => boolean, acked: () => void): Promise<void> {
  while (!killed()) {
    const op = nextOp(w.model, `${w.id}#${w.sent++}`, w.rng);
    const after = applyOp(w.model, op);
    try {
      await execute(w.client, w.dir, op);
    } catch (err) {
      if (!isConnectionLoss(err)) throw new Error(`${w.id}: ${describeOp(op)} failed: ${String(err)}`, { cause: err });
      w.pending = { op, after };
      return;
    }
    w.model = after;
    acked();
  }
}

/** Reads every worker's folder: the model must match, or the cut-off write's outcome must. */
async function verify(server: ServerProcess, workers: readonly Worker[], totals: Totals): Promise<string[]> {
  const reader = await CoordClient.connect(server.connectString, { sessionTimeout: 10_000 });
  const notes: string[] = [];
  try {
    for (const w of workers) {
      const seen = await observe(reader, w.dir);
      const before = difference(w.model, seen, w.client.sessionId);
      const after = w.pending ? difference(w.pending.after, seen, w.client.sessionId) : 'no write was cut off';
      if (before !== null && after !== null) {
        const cut = w.pending ? `; cut-off write ${describeOp(w.pending.op)} applied: ${after}` : '';
        throw new Error(`${w.id}: acknowledged state lost or partial write visible: ${before}${cut}`);
      }
      if (w.pending) {
        if (before === null) totals.cutLost++;
        else totals.cutApplied++;
        notes.push(`${w.id} ${describeOp(w.pending.op)} ${before === null ? 'not applied' : 'applied'}`);
        if (before !== null) w.model = w.pending.after;
      }
      w.pending = null;
    }
  } finally {
    await reader.close();
  }
  return notes;
}

/** Each session still owns exactly the ephemerals its workers expect (the server's index rebuilt). */
async function verifyEphemerals(clients: readonly CoordClient[], workers: readonly Worker[]): Promise<void> {
  for (const c of clients) {
    const want = workers.filter((w) => w.client === c)
      .flatMap((w) => [...w.model].filter(([, n]) => n.ephemeral).map(([name]) => `${w.dir}/${name}`));
    expect((await c.getEphemerals('/crash')).sort(), `ephemerals of session 0x${c.sessionId.toString(16)}`).toEqual(want.sort());
  }
}

/** One kill: load, SIGKILL after `target` acks, restart, reconnect, verify. */
async function cycle(server: ServerProcess, clients: readonly CoordClient[], workers: readonly Worker[], target: number,
  totals: Totals): Promise<string> {
  const sessionIds = clients.map((c) => c.sessionId);
  let acks = 0;
  let kill: Promise<void> | null = null;
  let killStarted!: () => void;
  const started = new Promise<void>((resolve) => { killStarted = resolve; });
  const killNow = (): void => { kill = server.killNow(); killStarted(); };
  if (target === 0) killNow();
  const acked = (): void => {
    totals.acked++;
    if (++acks >= target && !kill) killNow();
  };
  const writers = Promise.all(workers.map((w) => write(w, () => kill !== null, acked)));
  // A writer failing for another reason than the crash ends the test with its own message.
  await bounded(`${target} acknowledged writes before the kill`, Promise.race([
    writers.then(() => { if (!kill) throw new Error('writers stopped before the kill'); }),
    started,
  ]));
  await bounded('the server to die', kill!);
  await bounded('the writers to notice the crash', writers);
  for (const c of clients) await stateReached(c, 'disconnected', STEP_MS);
  await server.start();
  for (const [i, c] of clients.entries()) {
    await stateReached(c, 'connected', STEP_MS);
    expect(c.sessionId, 'a session survives a restart within its timeout').toBe(sessionIds[i]);
  }
  const notes = await verify(server, workers, totals);
  await verifyEphemerals(clients, workers);
  expect(await clients[0]!.getAllChildrenNumber('/ballast'), 'ballast nodes').toBe(BALLAST);
  totals.maxSnapshots = Math.max(totals.maxSnapshots, server.snapshotFiles().length);
  return `acks=${acks}${notes.length ? `; cut off: ${notes.join(', ')}` : ''}`;
}

describe('durability under kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'paddock-crash-'));
  const clients: CoordClient[] = [];
  let server: ServerProcess | null = null;

  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write and every live session across ${KILLS} kills`, async () => {
    const rng = seededRandom(SEED);
    server = new ServerProcess({ port: await freePort(), dataDir, zooCfg: { snapCount: String(SNAP_COUNT) }, logLevel: 'info' });
    await server.start();
    const opts = { sessionTimeout: 30_000, retry: { baseDelayMs: 20, maxDelayMs: 200 } };
    for (let s = 0; s < SESSIONS; s++) clients.push(await CoordClient.connect(server.connectString, opts));
    await clients[0]!.create('/crash', null);
    await clients[0]!.create('/ballast', null);
    for (let i = 0; i < BALLAST; i += BALLAST_MULTI) {
      const ops = Array.from({ length: BALLAST_MULTI }, (_, k) => ({ type: 'create' as const, path: `/ballast/b${i + k}`, data: `ballast ${i + k} ${'y'.repeat(40)}` }));
      await clients[0]!.multi(ops);
    }
    const workers: Worker[] = [];
    for (let s = 0; s < SESSIONS; s++) {
      for (let k = 0; k < WORKERS_PER_SESSION; k++) {
        const id = `s${s}w${k}`;
        await clients[s]!.create(`/crash/${id}`, null);
        workers.push({ id, dir: `/crash/${id}`, client: clients[s]!, rng: seededRandom(Math.floor(rng() * 2 ** 32)), model: new Map(), pending: null, sent: 0 });
      }
    }
    const totals: Totals = { acked: 0, cutApplied: 0, cutLost: 0, maxSnapshots: 0 };
    for (let kill = 1; kill <= KILLS; kill++) {
      const target = Math.floor(rng() * (MAX_ACKS_BEFORE_KILL + 1));
      try {
        const line = await cycle(server, clients, workers, target, totals);
        if (VERBOSE) console.log(`kill ${kill}/${KILLS} after ${target} acks: ${line}`);
      } catch (err) {
        throw new Error(`kill ${kill} of ${KILLS} (replay with CRASH_SEED=${SEED}): ${(err as Error).message}\n`
          + `server output:\n${server.output()}`, { cause: err });
      }
    }
    if (VERBOSE) console.log(`seed ${SEED}: ${KILLS} kills, ${server.starts} starts, ${totals.acked} acknowledged writes verified, `
      + `cut-off writes applied ${totals.cutApplied} / not applied ${totals.cutLost}, up to ${totals.maxSnapshots} snapshots on disk`);
    expect(totals.acked).toBeGreaterThan(KILLS);
    const ballast = await clients[0]!.getChildren('/ballast');
    expect(new Set(ballast)).toEqual(new Set(Array.from({ length: BALLAST }, (_, i) => `b${i}`)));
    expect(totals.maxSnapshots, 'snapshots were taken during the run').toBeGreaterThan(0);
  }, 150_000);
});
