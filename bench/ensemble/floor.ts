import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoordClient } from '@paddock/coord-client';
import type { SideName } from '../coord/harness.js';
import { closeAll, openMany } from '../coord/sessions.js';
import { Cleanup } from '../support/cleanup.js';
import { startCoordServerProcess } from '../support/coord-server-process.js';
import { LatencyHistogram } from '../support/latency-histogram.js';
import type { PeerServer } from '../support/peer-server.js';
import { startZooKeeper } from '../support/zookeeper.js';
import { type BenchEnsemble, MEMBER_IDS, waitForSettled } from './ensembles.js';
import type { EnsembleBenchParams } from './params.js';

const FLOOR_NODE = '/paddock-ensemble-floor';

/** p50/p99 of one kind of durable write, over every round. */
export interface FloorLatency {
  readonly ops: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * The disk alone, in this process with synchronous syscalls (no thread pool, no event loop):
 * `append` is what our txn log does, `overwrite` what ZooKeeper's does (it pads its log file
 * with zeros 64 MB ahead, so a write there does not change the file's size, which an
 * fdatasync would otherwise have to commit too).
 */
export const RAW_KINDS = {
  append: 'write + fdatasync of 100 B, appending to a file (as our txn log)',
  overwrite: 'write + fdatasync of 100 B over preallocated zeros (as ZooKeeper\'s padded log)',
} as const;
type RawKind = keyof typeof RAW_KINDS;

/** Where one writer with 1 setData in flight runs, in the order the table lists them. */
export const WRITER_TARGETS = {
  single: 'one setData in flight, single server (standalone)',
  leader: 'one setData in flight, ensemble of 3, through the leader',
  follower: 'one setData in flight, ensemble of 3, through a follower',
} as const;
type WriterTarget = keyof typeof WRITER_TARGETS;

export interface FloorResult {
  /** The folder the raw writes went to: the one the members' data dirs are made in. */
  readonly dir: string;
  readonly raw: Readonly<Record<RawKind, FloorLatency>>;
  readonly writers: Readonly<Record<WriterTarget, Partial<Record<SideName, FloorLatency>>>>;
}

function latencyOf(h: LatencyHistogram): FloorLatency {
  return { ops: h.count, p50Ms: h.quantileMs(0.5), p99Ms: h.quantileMs(0.99) };
}

/** One file of raw writes of one kind, open for the whole section (deleted with its folder). */
class RawFile {
  private readonly fd: number;
  private readonly data: Buffer;
  private written = 0;

  constructor(private readonly kind: RawKind, dir: string, private readonly bytes: number, totalOps: number) {
    this.fd = openSync(join(dir, `raw-${kind}`), kind === 'append' ? 'a' : 'w');
    this.data = Buffer.alloc(bytes, 0x61);
    if (kind === 'overwrite') {
      writeSync(this.fd, Buffer.alloc(totalOps * bytes));
      fdatasyncSync(this.fd);
    }
  }

  /** `ops` writes, each made durable before the next, timed one by one. */
  run(ops: number, into: LatencyHistogram): void {
    for (let i = 0; i < ops; i++) {
      const t0 = performance.now();
      writeSync(this.fd, this.data, 0, this.bytes, this.kind === 'append' ? null : this.written * this.bytes);
      fdatasyncSync(this.fd);
      into.recordMs(performance.now() - t0);
      this.written++;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** One writer: `ops` setData calls, each sent when the previous one was answered. */
async function writerRun(c: CoordClient, data: Buffer, ops: number, into: LatencyHistogram | null): Promise<void> {
  for (let i = 0; i < ops; i++) {
    const t0 = performance.now();
    await c.setData(FLOOR_NODE, data);
    into?.recordMs(performance.now() - t0);
  }
}

/** Where our single server writes its --cpu-prof profile. */
export function singleProfileDir(profileDir: string): string {
  return join(profileDir, 'single');
}

/** The standalone server of each kind, as the coord bench starts them, with the ensembles' durability. */
const SINGLE_STARTERS: Record<SideName, (p: EnsembleBenchParams, profileDir?: string) => Promise<PeerServer>> = {
  zookeeper: (p) => startZooKeeper({ forceSync: true, tickTime: p.tickTime }),
  paddock: (p, profileDir) => startCoordServerProcess({
    zooCfg: { forceSync: 'yes', tickTime: String(p.tickTime), maxClientCnxns: '0', '4lw.commands.whitelist': '*' },
    ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${singleProfileDir(profileDir)}`], stopGraceMs: 20_000 } : {}),
  }),
};

interface Writer {
  readonly side: SideName;
  readonly target: WriterTarget;
  readonly client: CoordClient;
  readonly latency: LatencyHistogram;
}

/** Opens one session per target of each ensemble's side (its single server, leader, a follower) and makes the node. */
async function openWriters(
  ensembles: readonly BenchEnsemble[], p: EnsembleBenchParams, cleanup: Cleanup, profileDir: string | undefined, opened: CoordClient[],
): Promise<Writer[]> {
  const writers: Writer[] = [];
  for (const ens of ensembles) {
    const single = await SINGLE_STARTERS[ens.side](p, profileDir);
    cleanup.add(() => single.stop());
    const leader = await waitForSettled(ens, p.startTimeoutMs);
    const follower = MEMBER_IDS.find((id) => id !== leader)!;
    const at: Record<WriterTarget, string> = {
      single: single.connectString, leader: `127.0.0.1:${ens.clientPort(leader)}`, follower: `127.0.0.1:${ens.clientPort(follower)}`,
    };
    for (const target of Object.keys(WRITER_TARGETS) as WriterTarget[]) {
      const [client] = await openMany(at[target], 1, opened);
      if (!await client!.exists(FLOOR_NODE)) await client!.create(FLOOR_NODE, Buffer.alloc(p.dataBytes));
      writers.push({ side: ens.side, target, client: client!, latency: new LatencyHistogram() });
    }
  }
  return writers;
}

/**
 * Ops of every kind in a row before the next kind's turn: small, so a burst of disk traffic from
 * elsewhere on the machine falls on every kind alike instead of on whichever ran then.
 */
const CHUNK = 100;

/**
 * The floor under one durable write: the raw disk (synchronous write + fdatasync in a file next
 * to the members' data dirs), then one session with 1 setData in flight on a standalone server
 * of each kind (started here, forceSync=yes) and through the leader and a follower of each
 * running ensemble. After a warm-up, `rounds` rounds each measure `floorOps` ops of every kind,
 * taking turns in chunks of CHUNK ops, the order reversed every other chunk. Stops the single
 * servers it started.
 */
export async function measureFloor(
  ensembles: readonly BenchEnsemble[], p: EnsembleBenchParams, say: (line: string) => void, profileDir?: string,
): Promise<FloorResult> {
  const dir = tmpdir();
  const rawDir = mkdtempSync(join(dir, 'paddock-floor-'));
  const cleanup = new Cleanup();
  cleanup.add(async () => rmSync(rawDir, { recursive: true, force: true }));
  const opened: CoordClient[] = [];
  cleanup.add(() => closeAll(opened));
  try {
    say('floor: starting the single servers');
    const writers = await openWriters(ensembles, p, cleanup, profileDir, opened);
    const data = Buffer.alloc(p.dataBytes, 0x66);
    const raw = { append: new LatencyHistogram(), overwrite: new LatencyHistogram() };
    const files: { kind: RawKind; file: RawFile }[] = [];
    for (const kind of Object.keys(RAW_KINDS) as RawKind[]) {
      const file = new RawFile(kind, rawDir, p.dataBytes, p.floorOps * p.rounds);
      cleanup.add(async () => file.close());
      files.push({ kind, file });
    }
    // Unmeasured: JIT and the servers' first log file; about warmupMs per writer.
    if (p.warmupMs > 0) {
      for (const w of writers) {
        const end = performance.now() + p.warmupMs;
        while (performance.now() < end) await writerRun(w.client, data, 50, null);
      }
    }
    const kinds: ((ops: number) => Promise<void> | void)[] = [
      ...files.map(({ kind, file }) => (ops: number) => file.run(ops, raw[kind])),
      ...writers.map((w) => (ops: number) => writerRun(w.client, data, ops, w.latency)),
    ];
    for (let round = 0; round < p.rounds; round++) {
      for (let done = 0, turn = 0; done < p.floorOps; done += CHUNK, turn++) {
        const ops = Math.min(CHUNK, p.floorOps - done);
        for (const run of turn % 2 === 0 ? kinds : [...kinds].reverse()) await run(ops);
      }
      say(`floor round ${round + 1}/${p.rounds}: raw append p50 ${raw.append.quantileMs(0.5).toFixed(3)} ms, `
        + writers.map((w) => `${w.side} ${w.target} ${w.latency.quantileMs(0.5).toFixed(3)}`).join(', '));
    }
    const writersOut = { single: {}, leader: {}, follower: {} } as Record<WriterTarget, Partial<Record<SideName, FloorLatency>>>;
    for (const w of writers) writersOut[w.target][w.side] = latencyOf(w.latency);
    return { dir, raw: { append: latencyOf(raw.append), overwrite: latencyOf(raw.overwrite) }, writers: writersOut };
  } finally {
    await cleanup.run();
  }
}
