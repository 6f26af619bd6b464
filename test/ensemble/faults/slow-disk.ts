import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { coordServerBin } from '../../../bench/support/coord-server-process.js';
import type { Kind } from '../support/mixed.js';
import type { FaultContext, FaultOutcome } from './faults.js';

/** The failpoint a slow disk is: each txn log fsync waits this long before it starts. */
const failpoints = (ms: number): Record<string, string> => ({ PADDOCK_FAILPOINTS: `txnlog.fsync=sleep(${ms})` });

let support: string | null | undefined;

/**
 * Null when the built server takes a `txnlog.fsync=sleep(MS)` failpoint, else why not. Asked
 * of the build itself (its failpoints module refuses an entry it does not know when loaded),
 * so the kind turns on by itself once the runtime has the flag.
 */
function slowDiskMissing(): string | null {
  if (support !== undefined) return support;
  const module = pathToFileURL(join(dirname(coordServerBin()), '..', 'dist', 'persistence', 'failpoints.js')).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(module)})`], {
    env: { ...process.env, ...failpoints(1) }, timeout: 30_000, encoding: 'utf8',
  });
  support = r.status === 0 ? null : 'this Paddock build refuses PADDOCK_FAILPOINTS=txnlog.fsync=sleep(MS) (built before the flag? run npm run build)';
  return support;
}

/** Null when an ensemble of these seats can have a slow disk (a Paddock seat, a server that takes the flag), else why not. */
export function slowDiskUnavailable(seats: readonly Kind[]): string | null {
  if (!seats.includes('paddock')) return 'only Paddock seats take the slow-fsync flag (ZooKeeper has none)';
  return slowDiskMissing();
}

/**
 * A Paddock member (the leader or a follower; a process takes the flag when it starts, so the
 * leader loses its term first) restarted on a disk whose every txn log fsync waits 100..1500
 * ms (up to past syncLimit), left under load for syncLimit + 2..6 ticks, then killed -9 and
 * restarted on a normal disk.
 */
export async function slowDisk(ctx: FaultContext): Promise<FaultOutcome> {
  const seats = ctx.ens.ids.filter((id) => ctx.ens.kind(id) === 'paddock');
  const id = seats[Math.floor(ctx.rng() * seats.length)]!;
  const ms = 100 + Math.floor(ctx.rng() * 1400);
  const ticks = ctx.syncLimit + 2 + Math.floor(ctx.rng() * 5);
  const role = id === ctx.leader ? 'leader' : 'follower';
  await ctx.ens.kill(id);
  ctx.ens.start(id, failpoints(ms));
  await new Promise((r) => setTimeout(r, ticks * ctx.tickTime));
  await ctx.ens.kill(id);
  ctx.ens.start(id);
  return { detail: `member ${id} (the ${role}) restarted on a disk whose fsync waits ${ms} ms, for ${ticks} ticks, then kill -9 and a normal disk` };
}
