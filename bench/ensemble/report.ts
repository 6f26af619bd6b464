import type { SideName } from '../coord/harness.js';
import { textTable } from '../support/text-table.js';
import { type FloorLatency, type FloorResult, RAW_KINDS, WRITER_TARGETS } from './floor.js';
import type { MemberCpu } from './throughput.js';
import type { GapResult, KillGap } from './write-gap.js';

const LABEL: Record<SideName, string> = { zookeeper: 'ZK', paddock: 'ours' };
const ORDER: readonly SideName[] = ['zookeeper', 'paddock'];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (v: number | null): string => (v === null || Number.isNaN(v) ? '-' : `${Math.round(v)}`);
const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : `${Math.round(v)}%`);

/** CPU of each member by its role in the run (the writes' follower, the leader, the other follower). */
export function formatMemberCpu(cpu: MemberCpu): string[] {
  const sides = ORDER.filter((s) => Object.values(cpu).some((row) => row[s]));
  const header = ['workload', ...sides.flatMap((s) => [`${LABEL[s]} leader`, `${LABEL[s]} follower`, `${LABEL[s]} other`])];
  const body = Object.entries(cpu).map(([workload, row]) => [workload,
    ...sides.flatMap((s) => [pct(row[s]?.leader), pct(row[s]?.follower), pct(row[s]?.other)])]);
  return [
    'CPU of each member during the measured runs (100% = one core; "follower" is the one the follower workloads write through):',
    ...textTable([header, ...body]),
  ];
}

/** The median of one timing over the kills (null timings, not seen within the bound, left out). */
function medianOf(kills: readonly KillGap[], f: (k: KillGap) => number | null): number | null {
  const values = kills.map(f).filter((v): v is number => v !== null);
  return values.length === 0 ? null : median(values);
}

/** Where the gap goes, as medians from the kill: the rows of the breakdown table. */
const BREAKDOWN: readonly [string, (k: KillGap) => number | null][] = [
  ['last ack before the kill', (k) => -k.lastAckBeforeMs],
  ["writer's client sees Disconnected", (k) => k.disconnectedMs],
  ['a survivor serves as leader (srvr)', (k) => k.leaderServingMs],
  ['the other serves as follower (srvr)', (k) => k.followerServingMs],
  ["writer's client connected again", (k) => k.reconnectedMs],
  ['first ack after the gap', (k) => k.firstAckMs],
];

/** Each kill's gap, median and max per ensemble, the ratio and the breakdown. */
export function formatGaps(results: readonly GapResult[]): string[] {
  const by = (s: SideName): GapResult | undefined => results.find((r) => r.side === s);
  const sides = ORDER.filter((s) => by(s));
  const gaps = (s: SideName): number[] => by(s)!.kills.map((k) => k.gapMs);
  const zk = by('zookeeper');
  const ours = by('paddock');
  const ratio = zk && ours ? `${(median(gaps('zookeeper')) / median(gaps('paddock'))).toFixed(2)}x` : '-';
  const rows = [
    ['', ...sides.map((s) => LABEL[s])],
    ['write gap per kill, ms', ...sides.map((s) => gaps(s).map((g) => ms(g)).join(' '))],
    ['median / max, ms', ...sides.map((s) => `${ms(median(gaps(s)))} / ${ms(Math.max(...gaps(s)))}`)],
    ...BREAKDOWN.map(([what, f]) => [`  ${what}, median ms after the kill`, ...sides.map((s) => ms(medianOf(by(s)!.kills, f)))]),
    ['killed member restarted -> all 3 serving, median ms', ...sides.map((s) => ms(medianOf(by(s)!.kills, (k) => k.rejoinMs)))],
    ['  longest ack-to-ack meanwhile, median / max ms', ...sides.map((s) => {
      const r = by(s)!.kills.map((k) => k.rejoinGapMs);
      return `${ms(median(r))} / ${ms(Math.max(...r))}`;
    })],
    ['leaders killed -> new leader', ...sides.map((s) => by(s)!.kills.map((k) => `${k.killed}->${k.newLeader ?? '?'}`).join(' '))],
    ['writes retried after ConnectionLoss', ...sides.map((s) => String(by(s)!.retries))],
  ];
  return [
    ...textTable(rows),
    `median gap ZK/ours: ${ratio} (> 1: ours recovers sooner)`,
  ];
}

/** What the issue asks of one durable writer on a single server: within this many times the raw floor. */
const FLOOR_TARGET = 2;

const fine = (v: number): string => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(3) : v.toFixed(1));
const latency = (l: FloorLatency | undefined): string => (l ? `${fine(l.p50Ms)} / ${fine(l.p99Ms)}` : '-');
const times = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`);

/** The raw disk, then each single writer beside it (p50 over the raw append's p50), and the target. */
export function formatFloor(r: FloorResult): string[] {
  const floor = r.raw.append.p50Ms;
  const raw = (Object.keys(RAW_KINDS) as (keyof typeof RAW_KINDS)[]).map((k) => [RAW_KINDS[k], latency(r.raw[k]), String(r.raw[k].ops)]);
  const sides = ORDER.filter((s) => Object.values(r.writers).some((row) => row[s]));
  const header = ['', ...sides.map((s) => `${LABEL[s]} p50 / p99 ms`), ...sides.map((s) => `${LABEL[s]} p50 / raw`), 'ops each'];
  const body = (Object.keys(WRITER_TARGETS) as (keyof typeof WRITER_TARGETS)[]).map((t) => {
    const row = r.writers[t];
    return [WRITER_TARGETS[t], ...sides.map((s) => latency(row[s])), ...sides.map((s) => times(row[s]?.p50Ms, floor)),
      String(row[sides[0]!]?.ops ?? '-')];
  });
  const single = r.writers.single.paddock?.p50Ms;
  const verdict = single === undefined ? 'not measured' : `${times(single, floor)} (${single / floor <= FLOOR_TARGET ? 'met' : 'not met'})`;
  return [
    `the disk alone: synchronous syscalls in this process, in ${r.dir} (where the members' data dirs are):`,
    ...textTable([['', 'p50 / p99 ms', 'ops'], ...raw]),
    'one session, forceSync=yes; "/ raw" is the p50 over the raw append\'s p50:',
    ...textTable([header, ...body]),
    `target, one durable writer on a single server within ${FLOOR_TARGET}x the raw fsync floor: ours ${verdict}`,
  ];
}
