import { CreateMode, type CoordClient } from '@paddock/coord-client';
import { type CoordBenchResult, type Measured, type SideName, type SideStats, stats } from '../coord/harness.js';
import { closeAll, openMany } from '../coord/sessions.js';
import { type RunResult, windowed } from '../coord/workloads.js';
import { ownCpuMs, processCpuMs } from '../support/process-cpu.js';
import { type BenchEnsemble, MEMBER_IDS, waitForSettled } from './ensembles.js';
import type { EnsembleBenchParams } from './params.js';

const ROOT = '/paddock-ensemble-bench';
const SET_NODE = `${ROOT}/set`;
const GET_NODE = `${ROOT}/get`;
const CREATE_PARENT = `${ROOT}/create`;

/** Which sessions a workload drives: those on one follower, those on the leader, or readers on all three. */
type Target = 'follower' | 'leader' | 'all';

interface EnsembleWorkload {
  readonly name: string;
  readonly unit: string;
  readonly target: Target;
  run(drivers: readonly CoordClient[], p: EnsembleBenchParams, runMs: number): Promise<RunResult>;
}

const payload = (p: EnsembleBenchParams): Buffer => Buffer.alloc(p.dataBytes, 0x61);

function setData(target: Target): EnsembleWorkload {
  return {
    name: `setData via ${target}`, unit: 'writes', target,
    run: (d, p, ms) => {
      const data = payload(p);
      return windowed(d, p, ms, (c) => c.setData(SET_NODE, data));
    },
  };
}

/** Persistent sequential nodes that stay, as the coord bench's create. */
function create(target: Target): EnsembleWorkload {
  return {
    name: `create via ${target}`, unit: 'creates', target,
    run: (d, p, ms) => {
      const data = payload(p);
      const opts = { mode: CreateMode.PERSISTENT_SEQUENTIAL };
      return windowed(d, p, ms, (c) => c.create(`${CREATE_PARENT}/c-`, data, opts));
    },
  };
}

export const WRITE_WORKLOADS: readonly EnsembleWorkload[] = [setData('follower'), setData('leader'), create('follower'), create('leader')];

export const READ_WORKLOADS: readonly EnsembleWorkload[] = [{
  name: 'getData over all 3', unit: 'reads', target: 'all',
  run: (d, p, ms) => windowed(d, p, ms, (c) => c.getData(GET_NODE)),
}];

/** One ensemble with its sessions open: on one follower, on the leader, readers over all three. */
interface DrivenSide {
  readonly ens: BenchEnsemble;
  readonly leader: number;
  readonly follower: number;
  readonly clients: Record<Target, readonly CoordClient[]>;
}

async function openSide(ens: BenchEnsemble, p: EnsembleBenchParams, opened: CoordClient[]): Promise<DrivenSide> {
  const leader = await waitForSettled(ens, p.startTimeoutMs);
  const follower = MEMBER_IDS.find((id) => id !== leader)!;
  const at = (id: number): string => `127.0.0.1:${ens.clientPort(id)}`;
  const readers: CoordClient[] = [];
  for (let i = 0; i < p.readSessions; i++) readers.push(...await openMany(at(MEMBER_IDS[i % MEMBER_IDS.length]!), 1, opened));
  const side: DrivenSide = {
    ens, leader, follower,
    clients: { follower: await openMany(at(follower), p.sessions, opened), leader: await openMany(at(leader), p.sessions, opened), all: readers },
  };
  const c = side.clients.leader[0]!;
  for (const path of [ROOT, SET_NODE, GET_NODE, CREATE_PARENT]) {
    if (!await c.exists(path)) await c.create(path, path === ROOT || path === CREATE_PARENT ? Buffer.alloc(0) : payload(p));
  }
  // Every reader sees the nodes before the reads start (a follower may lag the leader's reply).
  await Promise.all(readers.map((r) => r.sync(GET_NODE)));
  return side;
}

/** A measured run with the CPU (ms) each member used meanwhile. */
interface EnsembleMeasured extends Measured {
  /** By role in this run: leader, the follower the writes go through, the other follower. */
  readonly members: Readonly<Record<'leader' | 'follower' | 'other', number | null>>;
}

async function measure(w: EnsembleWorkload, s: DrivenSide, p: EnsembleBenchParams, runMs: number): Promise<EnsembleMeasured> {
  const other = MEMBER_IDS.find((id) => id !== s.leader && id !== s.follower)!;
  const roles = { leader: s.leader, follower: s.follower, other } as const;
  const cpu = (): Record<keyof typeof roles, number | null> => {
    const at = (id: number): number | null => {
      const pid = s.ens.pid(id);
      return pid === undefined ? null : processCpuMs(pid);
    };
    return { leader: at(roles.leader), follower: at(roles.follower), other: at(roles.other) };
  };
  const before = cpu();
  const driver0 = ownCpuMs();
  let r: RunResult;
  try {
    r = await w.run(s.clients[w.target], p, runMs);
  } catch (err) {
    throw new Error(`${w.name} on ${s.ens.side} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const driverCpuMs = ownCpuMs() - driver0;
  const after = cpu();
  const diff = (k: keyof typeof roles): number | null => (before[k] === null || after[k] === null ? null : after[k] - before[k]);
  const members = { leader: diff('leader'), follower: diff('follower'), other: diff('other') };
  const all = Object.values(members);
  const serverCpuMs = all.some((v) => v === null) ? null : all.reduce<number>((a, v) => a + v!, 0);
  return { ...r, driverCpuMs, serverCpuMs, members };
}

/** Per workload and ensemble: the member CPU of all rounds, in % of one core. */
export type MemberCpu = Record<string, Partial<Record<SideName, Record<'leader' | 'follower' | 'other', number | null>>>>;

export interface ThroughputResult extends CoordBenchResult {
  readonly memberCpu: MemberCpu;
}

function memberCpuPct(runs: readonly EnsembleMeasured[]): Record<'leader' | 'follower' | 'other', number | null> {
  const elapsed = runs.reduce((a, r) => a + r.elapsedMs, 0);
  const pct = (k: 'leader' | 'follower' | 'other'): number | null => {
    const ms = runs.map((r) => r.members[k]);
    return ms.some((v) => v === null) || elapsed === 0 ? null : (100 * ms.reduce<number>((a, v) => a + v!, 0)) / elapsed;
  };
  return { leader: pct('leader'), follower: pct('follower'), other: pct('other') };
}

/**
 * Opens the sessions on each (running) ensemble, warms each workload up on each, then runs
 * `rounds` measured rounds in which the ensembles take turns (the one that went second goes
 * first next round). Closes its sessions; the ensembles are the caller's.
 */
export async function runThroughput(
  ensembles: readonly BenchEnsemble[], p: EnsembleBenchParams, workloads: readonly EnsembleWorkload[], say: (line: string) => void,
): Promise<ThroughputResult> {
  const opened: CoordClient[] = [];
  try {
    const sides: DrivenSide[] = [];
    for (const ens of ensembles) sides.push(await openSide(ens, p, opened));
    for (const s of sides) say(`${s.ens.side}: leader ${s.leader}, writes through follower ${s.follower}`);
    if (p.warmupMs > 0) {
      for (const w of workloads) for (const s of sides) await measure(w, s, p, p.warmupMs);
    }
    const runs = new Map<string, EnsembleMeasured[]>();
    for (let round = 0; round < p.rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const w of workloads) {
        for (const s of order) {
          const r = await measure(w, s, p, p.runMs);
          say(`round ${round + 1}/${p.rounds} ${w.name} on ${s.ens.side}: ${Math.round((r.ops * 1000) / r.elapsedMs)} ${w.unit}/s`);
          const key = `${w.name}\0${s.ens.side}`;
          runs.set(key, [...(runs.get(key) ?? []), r]);
        }
      }
    }
    const memberCpu: MemberCpu = {};
    const rows = workloads.map((w) => {
      const perSide: Partial<Record<SideName, SideStats>> = {};
      memberCpu[w.name] = {};
      for (const s of sides) {
        const mine = runs.get(`${w.name}\0${s.ens.side}`) ?? [];
        perSide[s.ens.side] = stats(mine);
        memberCpu[w.name]![s.ens.side] = memberCpuPct(mine);
      }
      return { workload: w.name, unit: w.unit, sides: perSide };
    });
    return { versions: {}, rows, memberCpu };
  } finally {
    await closeAll(opened);
  }
}
