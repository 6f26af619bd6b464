import type { LatencyHistogram } from '../support/latency-histogram.js';
import type { RegistryBenchResult, SideResult } from './harness.js';
import type { RegistryBenchParams } from './params.js';
import type { PropagationResult } from './propagation.js';
import { textTable } from '../support/text-table.js';

function ms(v: number): string {
  return Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1);
}

function pair(h: LatencyHistogram | undefined): string {
  return h && h.count > 0 ? `${ms(h.quantileMs(0.5))} / ${ms(h.quantileMs(0.99))}` : '-';
}

function ratio(ours: LatencyHistogram | undefined, zk: LatencyHistogram | undefined, q: number): string {
  if (!ours || !zk || ours.count === 0 || zk.count === 0) return '-';
  return `${(ours.quantileMs(q) / zk.quantileMs(q)).toFixed(2)}x`;
}


interface Row {
  readonly label: string;
  readonly pick: (s: SideResult) => LatencyHistogram;
  /** The same measure within one round, for the per-round ratios. */
  readonly perRound?: (r: PropagationResult) => LatencyHistogram;
}

/** Lowest and highest ours/ZK p99 ratio of the rounds (within a round the servers took turns event by event). */
function roundRatios(row: Row, ours: SideResult | undefined, zk: SideResult | undefined): string {
  if (!row.perRound || !ours || !zk) return '-';
  const ratios = ours.rounds.map((o, i) => {
    const z = zk.rounds[i];
    return z ? row.perRound!(o).quantileMs(0.99) / row.perRound!(z).quantileMs(0.99) : Number.NaN;
  }).filter((r) => Number.isFinite(r));
  return ratios.length === 0 ? '-' : `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
}

/** The comparison: p50/p99 in ms per server, ours/ZK for each (below 1 = ours faster), and the samples behind them. */
export function formatRegistryTable(result: RegistryBenchResult, p: RegistryBenchParams): string[] {
  const providers = (p.services * p.providersPerService).toLocaleString('en-US');
  const rows: Row[] = [
    { label: `provider joins -> each of ${p.consumers} consumers sees it`, pick: (s) => s.propagation.joinEach, perRound: (r) => r.joinEach },
    { label: `provider joins -> all ${p.consumers} consumers saw it`, pick: (s) => s.propagation.joinAll, perRound: (r) => r.joinAll },
    { label: `provider leaves -> each of ${p.consumers} consumers sees it`, pick: (s) => s.propagation.leaveEach, perRound: (r) => r.leaveEach },
    { label: `provider leaves -> all ${p.consumers} consumers saw it`, pick: (s) => s.propagation.leaveAll, perRound: (r) => r.leaveAll },
    { label: `a consumer loads ${providers} providers of ${p.services} services`, pick: (s) => s.load },
  ];
  const zk = result.sides.zookeeper;
  const ours = result.sides.paddock;
  const header = ['latency (ms)', 'ZK p50 / p99', 'ours p50 / p99', 'ours/ZK p50', 'ours/ZK p99', 'p99 per round', 'samples'];
  const body = rows
    .filter((r) => (ours && r.pick(ours).count > 0) || (zk && r.pick(zk).count > 0))
    .map((r) => {
      const z = zk && r.pick(zk);
      const o = ours && r.pick(ours);
      return [r.label, pair(z), pair(o), ratio(o, z, 0.5), ratio(o, z, 0.99), roundRatios(r, ours, zk), String(o?.count ?? z?.count ?? 0)];
    });
  const cpu = (side: SideResult | undefined, which: 'serverMs' | 'driverMs'): string => {
    const v = side?.cpu[which];
    return side && v !== null && v !== undefined && side.cpu.events > 0 ? `${ms(v / side.cpu.events)} ms` : '-';
  };
  const cpuRows = [
    ['CPU per join + leave', 'ZK', 'ours'],
    ['server', cpu(zk, 'serverMs'), cpu(ours, 'serverMs')],
    [`driver (${p.consumers} consumers in ${p.driverProcesses} processes, 1 provider)`, cpu(zk, 'driverMs'), cpu(ours, 'driverMs')],
  ];
  const versions = Object.entries(result.versions).map(([k, v]) => `${k === 'zookeeper' ? 'ZK' : 'ours'} = ${v}`);
  return [
    ...textTable([header, ...body]),
    'ours/ZK below 1.00x: ours is faster (the target: p99 at most 1.00x)',
    '',
    ...(ours?.cpu.events || zk?.cpu.events ? [...textTable(cpuRows), ''] : []),
    `servers: ${versions.join('; ')}`,
  ];
}
