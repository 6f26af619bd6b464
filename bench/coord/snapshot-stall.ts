import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CoordClient } from '@paddock/coord-client';
import { Ids } from '@paddock/coord-protocol';
import { CoordServer } from '@paddock/coord-server';

interface StallRun {
  readonly ms: number;
  /** Event-loop delay while the snapshot was written (perf_hooks, 1 ms resolution). */
  readonly maxDelayMs: number;
  readonly p99DelayMs: number;
  /** Event-loop turns during the snapshot: requests get a turn at least this often. */
  readonly turns: number;
  /** 1-minute load average when it ended: above the core count, pauses include waits for a CPU. */
  readonly load: number;
}

export interface StallResult {
  readonly znodes: number;
  readonly buildMs: number;
  readonly runs: readonly StallRun[];
}

const FOLDER_FANOUT = 1000;

/** One snapshot, with the event-loop delay and the turns the loop took meanwhile. */
async function measure(server: CoordServer): Promise<StallRun> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns++;
    if (running) setImmediate(tick);
  };
  h.enable();
  setImmediate(tick);
  const t0 = performance.now();
  await server.persistence.snapshotNow();
  const ms = performance.now() - t0;
  running = false;
  h.disable();
  return { ms, maxDelayMs: h.max / 1e6, p99DelayMs: h.percentile(99) / 1e6, turns, load: loadavg()[0]! };
}

/**
 * Our server in this process with `znodes` znodes put straight into its tree (the wire would
 * only make this slower), then `runs` snapshots of it (the first with cold code, as after a
 * start) while perf_hooks watches the event loop: the bound is no pause over 50 ms.
 */
export async function measureSnapshotStall(znodes: number, runs: number): Promise<StallResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'paddock-stall-'));
  // The server's logger reads its level when it starts: keep its info lines out of the report.
  const level = process.env.PADDOCK_LOG_LEVEL;
  process.env.PADDOCK_LOG_LEVEL = level ?? 'warn';
  const server = await CoordServer.start({ host: '127.0.0.1', port: 0, dataDir, adminEnabled: false, snapCount: 2 ** 30 })
    .finally(() => { if (level === undefined) delete process.env.PADDOCK_LOG_LEVEL; });
  try {
    const t0 = performance.now();
    const tree = server.pipeline.tree;
    const acl = Ids.OPEN_ACL_UNSAFE;
    const data = Buffer.alloc(100, 0x61);
    const folders = Math.max(1, Math.ceil(znodes / FOLDER_FANOUT));
    // Straight into the tree: these nodes are in no txn, so zxid 0 keeps the snapshot from
    // waiting on the log for them.
    tree.createNode('/s', null, acl, 0n, 0, 0, 0);
    for (let d = 0; d < folders; d++) tree.createNode(`/s/d${d}`, null, acl, 0n, 0, 0, 0);
    for (let i = 0; i < znodes; i++) tree.createNode(`/s/d${i % folders}/n${i}`, data, acl, 0n, 0, 0, 0);
    const buildMs = performance.now() - t0;
    const out: StallRun[] = [];
    const client = await CoordClient.connect(`127.0.0.1:${server.port}`);
    try {
      for (let r = 0; r < runs; r++) {
        // A txn before each snapshot, so each is named after a zxid of its own, as in service.
        await client.create(`/stall-${r}`, null);
        out.push(await measure(server));
      }
    } finally {
      await client.close();
    }
    return { znodes, buildMs, runs: out };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
