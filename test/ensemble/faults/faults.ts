import type { RandomSource } from '@paddock/edges';
import type { MixedEnsemble } from '../support/mixed.js';
import type { FaultNet } from './fault-net.js';
import { LogWatch } from './log-watch.js';
import type { Kind } from '../support/mixed.js';
import { bridge, isolate, oneWay } from './partitions.js';
import { slowDisk, slowDiskUnavailable } from './slow-disk.js';
import type { WriteProbe } from './write-probe.js';

/** What a fault may use: the ensemble, its links, the leader when the round began, and the round's random source. */
export interface FaultContext {
  readonly ens: MixedEnsemble;
  readonly net: FaultNet;
  readonly leader: number;
  readonly tickTime: number;
  readonly syncLimit: number;
  readonly rng: RandomSource;
  /** The round's clock (its history's), in ms. */
  readonly now: () => number;
  /** Creates `count` znodes through `servers`, waiting for every reply; acknowledged ones are checked at the end. */
  readonly backlog: (count: number, servers: readonly number[]) => Promise<void>;
  /** A session pinned to server `id` that fires writes on a timer once started, recorded in the history. */
  readonly probe: (id: number) => Promise<WriteProbe>;
}

/** A leader cut off from both followers, as the round's clock saw it. */
export interface MinorityWatch {
  readonly leader: number;
  /** How its links went down. */
  readonly mode: 'drop' | 'cut';
  /** When its links stopped passing. */
  readonly from: number;
  /** The first poll at which it no longer said it leads. */
  readonly stepDown: number;
  /** When its links passed again. */
  readonly healed: number;
}

export interface FaultOutcome {
  readonly detail: string;
  readonly minority?: MinorityWatch;
}

/** A kind of fault: injects it, holds it, heals it; the round then waits for every server to serve. */
export interface FaultKind {
  readonly name: string;
  run(ctx: FaultContext): Promise<FaultOutcome>;
  /** Why an ensemble of these seats cannot have it, or null; absent: always available. */
  unavailable?(seats: readonly Kind[]): string | null;
}

/** Members more than this many commits behind get a SNAP (the leader's window; log sync is off). */
const SNAP_BACKLOG = 650;
/** Bound on a restarted member saying its SNAP began, and on a minority leader stepping down. */
const EVENT_MS = 60_000;
const POLL_MODE_MS = 25;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pick<T>(rng: RandomSource, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

/** Holds a fault for `min`..`max` ticks (inclusive, whole ticks); returns how many. */
async function holdTicks(ctx: FaultContext, min: number, max: number): Promise<number> {
  const ticks = min + Math.floor(ctx.rng() * (max - min + 1));
  await pause(ticks * ctx.tickTime);
  return ticks;
}

const followers = (ctx: FaultContext): number[] => ctx.ens.ids.filter((id) => id !== ctx.leader);
const linkMode = (ctx: FaultContext): 'drop' | 'cut' => (ctx.rng() < 0.5 ? 'drop' : 'cut');

/** Puts links in the given states, holds past syncLimit, heals. */
async function partitioned(ctx: FaultContext, what: string, rules: Parameters<FaultNet['set']>[0]): Promise<FaultOutcome> {
  ctx.net.set(rules);
  const links = ctx.net.describe();
  const ticks = await holdTicks(ctx, ctx.syncLimit + 1, ctx.syncLimit + 6);
  ctx.net.heal();
  return { detail: `${what} for ${ticks} ticks (${links})` };
}

/**
 * The leader cut off from both followers: it must stop acknowledging writes once it cannot
 * hear a quorum. A probe fires writes at it all through the cut, and the fault holds until it
 * says it no longer leads (and at least past syncLimit), polling its srvr, so the round can
 * check that none of those writes, and nothing after the step-down, was acknowledged.
 */
async function minorityLeader(ctx: FaultContext): Promise<FaultOutcome> {
  const mode = linkMode(ctx);
  const leader = ctx.leader;
  const probe = await ctx.probe(leader);
  ctx.net.set(isolate([leader], ctx.ens.ids, mode));
  const from = ctx.now();
  probe.start(Math.max(10, ctx.tickTime / 5));
  const minHold = pause((ctx.syncLimit + 1 + Math.floor(ctx.rng() * 5)) * ctx.tickTime);
  const deadline = Date.now() + EVENT_MS;
  try {
    while ((await ctx.ens.mode(leader)) === 'leader') {
      if (Date.now() > deadline) throw new Error(`minority leader ${leader} still said it leads ${EVENT_MS} ms after its links were ${mode}`);
      await pause(POLL_MODE_MS);
    }
    const stepDown = ctx.now();
    await minHold;
    probe.halt();
    ctx.net.heal();
    const healed = ctx.now();
    const ticks = ((stepDown - from) / ctx.tickTime).toFixed(1);
    return {
      detail: `leader ${leader} cut off from both followers (${mode}); it stopped leading ${ticks} ticks after (syncLimit ${ctx.syncLimit})`,
      minority: { leader, mode, from, stepDown, healed },
    };
  } finally {
    ctx.net.heal();
    await probe.stop();
  }
}

async function killAndRestart(ctx: FaultContext, id: number, what: string): Promise<FaultOutcome> {
  await ctx.ens.kill(id);
  const ticks = await holdTicks(ctx, 2, 8);
  ctx.ens.start(id);
  return { detail: `${what} ${id} kill -9, restarted after ${ticks} ticks` };
}

/**
 * A member far behind (killed while SNAP_BACKLOG znodes were written) restarts and gets a
 * SNAP; the moment it logs that the snapshot is coming, the learner or the leader is killed
 * -9, then restarted. Both kinds of server log ZooKeeper's learner line.
 */
async function snapKill(ctx: FaultContext): Promise<FaultOutcome> {
  const learner = pick(ctx.rng, followers(ctx));
  const victim = ctx.rng() < 0.5 ? learner : ctx.leader;
  await ctx.ens.kill(learner);
  await ctx.backlog(SNAP_BACKLOG, ctx.ens.ids.filter((id) => id !== learner));
  const watch = new LogWatch(ctx.ens.logPath(learner));
  const started = Date.now();
  ctx.ens.start(learner);
  const snap = await watch.waitFor(/Getting a snapshot from leader/, EVENT_MS);
  const after = Date.now() - started;
  await ctx.ens.kill(victim);
  const ticks = await holdTicks(ctx, 1, 4);
  ctx.ens.start(victim);
  const role = victim === learner ? 'the learner' : `the leader ${victim}`;
  return {
    detail: snap
      ? `member ${learner} ${SNAP_BACKLOG} znodes behind restarted; its SNAP began ${after} ms later and ${role} was killed -9 then, restarted after ${ticks} ticks`
      : `member ${learner} restarted but logged no SNAP within ${EVENT_MS} ms; ${role} killed -9 anyway`,
  };
}

/** The fault kinds a round picks from (those its ensemble can have). */
export const FAULT_KINDS: readonly FaultKind[] = [
  {
    name: 'partition',
    run: (ctx) => {
      const node = pick(ctx.rng, followers(ctx));
      const mode = linkMode(ctx);
      return partitioned(ctx, `follower ${node} cut off from the others (${mode})`, isolate([node], ctx.ens.ids, mode));
    },
  },
  { name: 'minority-leader', run: minorityLeader },
  {
    name: 'one-way',
    run: (ctx) => {
      const node = pick(ctx.rng, ctx.ens.ids);
      const deaf = ctx.rng() < 0.5;
      const role = node === ctx.leader ? 'leader' : 'follower';
      return partitioned(ctx, `${role} ${node} ${deaf ? 'hears nobody' : 'heard by nobody'}`, oneWay(node, ctx.ens.ids, deaf));
    },
  },
  {
    name: 'bridge',
    run: (ctx) => {
      const node = pick(ctx.rng, ctx.ens.ids);
      const mode = linkMode(ctx);
      const role = node === ctx.leader ? 'leader' : 'follower';
      return partitioned(ctx, `bridge through ${role} ${node} (${mode})`, bridge(node, ctx.ens.ids, mode));
    },
  },
  { name: 'kill', run: (ctx) => killAndRestart(ctx, pick(ctx.rng, ctx.ens.ids), 'member') },
  { name: 'kill-leader', run: (ctx) => killAndRestart(ctx, ctx.leader, 'leader') },
  {
    name: 'pause-leader',
    run: async (ctx) => {
      ctx.ens.pause(ctx.leader);
      const ticks = await holdTicks(ctx, ctx.syncLimit + 2, ctx.syncLimit + 6);
      ctx.ens.resume(ctx.leader);
      return { detail: `leader ${ctx.leader} SIGSTOP for ${ticks} ticks (syncLimit ${ctx.syncLimit}), then SIGCONT` };
    },
  },
  { name: 'snap-kill', run: snapKill },
  { name: 'slow-disk', run: slowDisk, unavailable: slowDiskUnavailable },
];
