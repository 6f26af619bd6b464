import type { CoordBenchResult, SideName, SideStats } from './harness.js';

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

/** Left-aligns the first column, right-aligns the others. */
function table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
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
    ...table([header, ...body]),
    '',
    'CPU during the measured runs (100% = one core; the driver is this process, running the client):',
    ...table([cpuHeader, ...cpuBody]),
    '',
    `servers: ${versions.join('; ')}`,
  ];
}
