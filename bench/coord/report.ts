import { cpus } from 'node:os';
import type { CoordBenchResult, SideName, SideStats } from './harness.js';
import type { RecoveryResult } from './recovery.js';
import type { StallResult } from './snapshot-stall.js';
import type { UnfinishedResult } from './unfinished.js';
import { textTable } from '../support/text-table.js';

const SIDES: readonly { name: SideName; label: string }[] = [
  { name: 'zookeeper', label: 'ZK' },
  { name: 'paddock', label: 'ours' },
];

function rate(s: SideStats | undefined): string {
  return s ? Math.round(s.opsPerSec).toLocaleString('en-US') : '-';
}

function ms(v: number): string {
  return Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1);
}

function latency(s: SideStats | undefined): string {
  return s ? `${ms(s.p50Ms)} / ${ms(s.p99Ms)}` : '-';
}

function ratio(ours: SideStats | undefined, zk: SideStats | undefined): string {
  return ours && zk && zk.opsPerSec > 0 ? `${(ours.opsPerSec / zk.opsPerSec).toFixed(2)}x` : '-';
}

/** Lowest and highest ours/ZK ratio of the rounds (each round ran both servers back to back). */
function roundRatios(ours: SideStats | undefined, zk: SideStats | undefined): string {
  if (!ours || !zk) return '-';
  const ratios = ours.perRound.map((o, i) => o / (zk.perRound[i] ?? Number.NaN)).filter((r) => Number.isFinite(r));
  if (ratios.length === 0) return '-';
  return `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
}


/** The comparison table: ops/s per server, the ratio ours/ZK and p50/p99 latency in ms. */
export function formatCoordTable(result: CoordBenchResult): string[] {
  const [zk, ours] = SIDES;
  const header = ['workload', 'unit', `${zk!.label} ops/s`, `${ours!.label} ops/s`, 'ours/ZK', 'per round',
    `${zk!.label} p50/p99 ms`, `${ours!.label} p50/p99 ms`];
  const body = result.rows.map((r) => {
    const z = r.sides.zookeeper;
    const o = r.sides.paddock;
    return [r.workload, r.unit, rate(z), rate(o), ratio(o, z), roundRatios(o, z), latency(z), latency(o)];
  });
  const cpu = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : `${Math.round(v)}%`);
  const cpuHeader = ['workload', `${zk!.label} server`, `${ours!.label} server`, `driver (${zk!.label} runs)`, `driver (${ours!.label} runs)`];
  const cpuBody = result.rows.map((r) => [r.workload, cpu(r.sides.zookeeper?.serverCpuPct), cpu(r.sides.paddock?.serverCpuPct),
    cpu(r.sides.zookeeper?.driverCpuPct), cpu(r.sides.paddock?.driverCpuPct)]);
  const versions = SIDES.filter((s) => result.versions[s.name]).map((s) => `${s.label} = ${result.versions[s.name]}`);
  return [
    ...textTable([header, ...body]),
    '',
    'CPU during the measured runs (100% = one core; the driver is this process, running the client):',
    ...textTable([cpuHeader, ...cpuBody]),
    '',
    `servers: ${versions.join('; ')}`,
  ];
}

const mb = (bytes: number | null): string => (bytes === null ? '-' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Start-to-serving times and memory on the big data dir, ZooKeeper beside ours. */
export function formatRecoveryTable(results: readonly RecoveryResult[]): string[] {
  const zk = results.find((r) => r.side === 'zookeeper');
  const ours = results.find((r) => r.side === 'paddock');
  const cell = (r: RecoveryResult | undefined, f: (r: RecoveryResult) => string): string => (r ? f(r) : '-');
  const perZnode = (r: RecoveryResult): string => (r.rssLoaded === null || r.rssEmpty === null || r.nodeCount === 0
    ? '-' : `${Math.round((r.rssLoaded - r.rssEmpty) / r.nodeCount)} B`);
  const ratio = (f: (r: RecoveryResult) => number): string => (zk && ours ? `${(f(ours) / f(zk)).toFixed(2)}x` : '-');
  const rows = [
    ['', 'ZK', 'ours', 'ours/ZK'],
    ['start to serving, empty data dir', cell(zk, (r) => secs(r.emptyStartMs)), cell(ours, (r) => secs(r.emptyStartMs)), ratio((r) => r.emptyStartMs)],
    ['start to serving, big data dir (median)', cell(zk, (r) => secs(median(r.startMs))), cell(ours, (r) => secs(median(r.startMs))), ratio((r) => median(r.startMs))],
    ['  each start', cell(zk, (r) => r.startMs.map((m) => (m / 1000).toFixed(2)).join(' ')), cell(ours, (r) => r.startMs.map((m) => (m / 1000).toFixed(2)).join(' ')), ''],
    ['znodes served after it (srvr)', cell(zk, (r) => r.nodeCount.toLocaleString('en-US')), cell(ours, (r) => r.nodeCount.toLocaleString('en-US')), ''],
    ['newest snapshot on disk', cell(zk, (r) => `0x${r.snapshotZxid.toString(16)}, ${mb(r.snapshotBytes)}`), cell(ours, (r) => `0x${r.snapshotZxid.toString(16)}, ${mb(r.snapshotBytes)}`), ''],
    ['txns logged after it (replayed)', cell(zk, (r) => String(r.tailTxns)), cell(ours, (r) => String(r.tailTxns)), ''],
    ['RSS, empty data dir', cell(zk, (r) => mb(r.rssEmpty)), cell(ours, (r) => mb(r.rssEmpty)), ''],
    ['RSS, big data dir (median)', cell(zk, (r) => mb(r.rssLoaded)), cell(ours, (r) => mb(r.rssLoaded)), ''],
    ['RSS per znode (big - empty) / znodes', cell(zk, perZnode), cell(ours, perZnode), ratio((r) => ((r.rssLoaded ?? 0) - (r.rssEmpty ?? 0)) / r.nodeCount)],
    ['writing the big data dir (not compared)', cell(zk, (r) => secs(r.populateMs)), cell(ours, (r) => secs(r.populateMs)), ''],
  ];
  return textTable(rows);
}

/** Event-loop delay while our server wrote snapshots of the big tree. */
export function formatStall(r: StallResult): string[] {
  return [
    `our server in-process, ${r.znodes.toLocaleString('en-US')} znodes put into its tree in ${secs(r.buildMs)}; each snapshot while perf_hooks.monitorEventLoopDelay watched:`,
    ...r.runs.map((run, i) => `  snapshot ${i + 1}${i === 0 ? ' (cold code, as right after a start)' : ''}: written in ${secs(run.ms)}, `
      + `event-loop delay max ${run.maxDelayMs.toFixed(1)} ms, p99 ${run.p99DelayMs.toFixed(1)} ms, ${run.turns.toLocaleString('en-US')} loop turns meanwhile, `
      + `load ${run.load.toFixed(2)} on ${cpus().length} cores`),
    `  worst pause ${Math.max(...r.runs.map((run) => run.maxDelayMs)).toFixed(1)} ms (the bound we hold it to: 50 ms)`,
  ];
}

const mib = (bytes: number | null): string => (bytes === null ? '-' : `${(bytes / 2 ** 20).toFixed(1)} MiB`);
const perConnection = (bytes: number | null, n: number): string => (bytes === null ? '-' : `${Math.round(bytes / n / 1024)} KiB`);

/** Memory held for stalled half frames, and how soon the server let go of them. */
export function formatUnfinished(results: readonly UnfinishedResult[]): string[] {
  const rows = results.map((r) => [
    SIDES.find((x) => x.name === r.side)!.label,
    mib(r.preRssGrowth), perConnection(r.preRssGrowth, r.connections), `${r.preOpen}/${r.connections}`,
    r.preClosedMs === null ? 'not within the wait' : `${(r.preClosedMs / 1000).toFixed(1)} s`,
    mib(r.postRssGrowth), perConnection(r.postRssGrowth, r.connections), `${r.postOpen}/${r.connections}`,
  ]);
  return textTable([
    ['server', 'before handshake: RSS growth', 'per conn', 'open', 'all closed after', 'after handshake: RSS growth', 'per conn', 'open'],
    ...rows,
  ]);
}
