import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from '../support/cleanup.js';
import { startCoordServerProcess } from '../support/coord-server-process.js';
import { fourLetter } from '../support/four-letter.js';
import type { PeerServer } from '../support/peer-server.js';
import { freePort } from '../support/ports.js';
import { rssBytes } from '../support/process-memory.js';
import { startZooKeeper } from '../support/zookeeper.js';
import { type BigTreeParams, closeAll, openBigTreeSessions, populate, rewrite } from './big-tree.js';
import type { SideName } from './harness.js';

export interface RecoveryParams extends BigTreeParams {
  /** setData txns logged after the snapshot that holds the whole tree. */
  readonly logTxns: number;
  /** Timed starts per server, each from a fresh copy of the same data dir. */
  readonly restarts: number;
  /** ZooKeeper's -Xmx (the default 512 MiB does not hold a million znodes). */
  readonly zkHeapMb: number;
}

export interface RecoveryResult {
  readonly side: SideName;
  /** Start to serving (`srvr` answers with a version) on an empty data dir. */
  readonly emptyStartMs: number;
  /** Start to serving on the big data dir, once per restart. */
  readonly startMs: readonly number[];
  /** What the big data dir held: the newest snapshot and the txns logged after it. */
  readonly snapshotZxid: number;
  readonly snapshotBytes: number;
  readonly tailTxns: number;
  /** `Node count` from srvr after recovery. */
  readonly nodeCount: number;
  readonly rssEmpty: number | null;
  /** Median over the restarts, taken as soon as the server serves. */
  readonly rssLoaded: number | null;
  readonly populateMs: number;
}

/** Bounds: recovering a million znodes takes seconds; writing them, a minute or so. */
const START_MS = 600_000;
const SNAPSHOT_WAIT_MS = 600_000;
/** How finely a start is timed. */
const POLL_MS = 10;

interface Start {
  (dataDir: string, port: number, snapCount: number): Promise<PeerServer>;
}

const STARTERS: Record<SideName, (p: RecoveryParams) => Start> = {
  zookeeper: (p) => (dataDir, port, snapCount) => startZooKeeper({
    dataDir, port, heapMb: p.zkHeapMb, startTimeoutMs: START_MS, pollMs: POLL_MS,
    extra: { snapCount: String(snapCount), maxClientCnxns: '0' },
  }),
  paddock: () => (dataDir, port, snapCount) => startCoordServerProcess({
    dataDir, port, startTimeoutMs: START_MS, pollMs: POLL_MS,
    zooCfg: { snapCount: String(snapCount), forceSync: 'no', maxClientCnxns: '0' },
  }),
};

/** Where each server keeps snapshots and logs inside its data dir. */
const FORMAT_DIR: Record<SideName, string> = { zookeeper: 'version-2', paddock: 'paddock-v1' };

function zxidFiles(dir: string, prefix: string): { zxid: number; bytes: number }[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix) && /^[0-9a-f]+$/.test(n.slice(prefix.length)))
    .map((n) => ({ zxid: parseInt(n.slice(prefix.length), 16), bytes: statSync(join(dir, n)).size }))
    .sort((a, b) => a.zxid - b.zxid);
}

/** A crash, so the data dir is left as a crash leaves it. */
async function crash(server: PeerServer): Promise<void> {
  if (server.pid !== undefined) process.kill(server.pid, 'SIGKILL');
  await server.stop();
}

async function srvr(port: number): Promise<{ zxid: number; nodes: number }> {
  const text = await fourLetter(port, 'srvr');
  const zxid = /^Zxid: 0x([0-9a-f]+)$/m.exec(text)?.[1];
  const nodes = /^Node count: (\d+)$/m.exec(text)?.[1];
  if (zxid === undefined || nodes === undefined) throw new Error(`unexpected srvr answer: ${text}`);
  return { zxid: parseInt(zxid, 16), nodes: Number(nodes) };
}

async function timedStart(start: Start, dataDir: string, port: number, snapCount: number): Promise<{ server: PeerServer; ms: number }> {
  const t0 = performance.now();
  const server = await start(dataDir, port, snapCount);
  return { server, ms: performance.now() - t0 };
}

/** Polls (bounded) until a complete snapshot newer than `zxid` is in `dir`. */
async function snapshotAfter(dir: string, zxid: number): Promise<void> {
  const until = Date.now() + SNAPSHOT_WAIT_MS;
  while (!zxidFiles(dir, 'snapshot.').some((f) => f.zxid > zxid)) {
    if (Date.now() > until) throw new Error(`no snapshot after zxid ${zxid} in ${dir} within ${SNAPSHOT_WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** snapCount while our server takes the one snapshot of the whole tree: one lands within this many txns. */
const SNAP_TRIGGER = 1000;

/**
 * Leaves `dataDir` holding a snapshot of the whole tree and `logTxns` (or a few more) txns
 * logged after it, written through the wire the same way on both servers. ZooKeeper writes a
 * snapshot every time it starts, so a restart after populating gives it one. Ours takes
 * snapshots only by snapCount: restarted with a small one, it takes one of the whole tree
 * within SNAP_TRIGGER writes (those writes end up before or in its log tail).
 */
async function prepare(side: SideName, start: Start, dataDir: string, port: number, p: RecoveryParams, say: (l: string) => void): Promise<number> {
  const t0 = performance.now();
  const quiet = 4 * (p.logTxns + 1_000_000);
  let server = await start(dataDir, port, quiet);
  let clients = await openBigTreeSessions(server.connectString);
  await populate(clients, p);
  say(`${side}: ${p.znodes.toLocaleString('en-US')} znodes written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (side === 'paddock') {
    await closeAll(clients);
    await crash(server);
    server = await start(dataDir, port, SNAP_TRIGGER);
    clients = await openBigTreeSessions(server.connectString);
    const { zxid } = await srvr(port);
    await rewrite(clients, p, SNAP_TRIGGER, 'trigger');
    await snapshotAfter(join(dataDir, FORMAT_DIR[side]), zxid);
  }
  await closeAll(clients);
  await crash(server);
  server = await start(dataDir, port, quiet);
  clients = await openBigTreeSessions(server.connectString);
  await rewrite(clients, p, p.logTxns, 'log');
  await closeAll(clients);
  await crash(server);
  return performance.now() - t0;
}

/** Empty-dir start, then the big data dir prepared once and started `restarts` times from copies of it. */
export async function measureRecovery(side: SideName, p: RecoveryParams, say: (line: string) => void): Promise<RecoveryResult> {
  const cleanup = new Cleanup();
  const raw = STARTERS[side](p);
  // Every server started is stopped on the way out, also on a failure or Ctrl-C.
  const start: Start = async (dataDir, port, snapCount) => {
    const server = await raw(dataDir, port, snapCount);
    cleanup.add(() => server.stop());
    return server;
  };
  const root = mkdtempSync(join(tmpdir(), `paddock-recovery-${side}-`));
  try {
    const port = await freePort();
    mkdirSync(join(root, 'empty'));
    const empty = await timedStart(start, join(root, 'empty'), port, 100_000);
    const rssEmpty = empty.server.pid === undefined ? null : rssBytes(empty.server.pid);
    await crash(empty.server);

    const pristine = join(root, 'pristine');
    mkdirSync(pristine);
    const populateMs = await prepare(side, start, pristine, port, p, say);
    const format = join(pristine, FORMAT_DIR[side]);
    const snap = zxidFiles(format, 'snapshot.').at(-1);

    const startMs: number[] = [];
    const rss: number[] = [];
    let last = { zxid: 0, nodes: 0 };
    for (let r = 0; r < p.restarts; r++) {
      const work = join(root, `run${r}`);
      cpSync(pristine, work, { recursive: true });
      const run = await timedStart(start, work, port, 4 * (p.logTxns + 1_000_000));
      startMs.push(run.ms);
      const bytes = run.server.pid === undefined ? null : rssBytes(run.server.pid);
      if (bytes !== null) rss.push(bytes);
      last = await srvr(port);
      say(`${side}: start ${r + 1}/${p.restarts} on ${last.nodes.toLocaleString('en-US')} znodes served after ${Math.round(run.ms)} ms`);
      await crash(run.server);
      rmSync(work, { recursive: true, force: true });
    }
    rss.sort((a, b) => a - b);
    return {
      side, emptyStartMs: empty.ms, startMs, populateMs, nodeCount: last.nodes,
      snapshotZxid: snap?.zxid ?? 0, snapshotBytes: snap?.bytes ?? 0, tailTxns: last.zxid - (snap?.zxid ?? 0),
      rssEmpty, rssLoaded: rss.length > 0 ? rss[Math.floor(rss.length / 2)]! : null,
    };
  } finally {
    await cleanup.run();
    rmSync(root, { recursive: true, force: true });
  }
}
