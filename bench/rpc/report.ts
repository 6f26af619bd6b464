import { textTable } from '../support/text-table.js';
import { medianRate, roundRates, type Measurement, type RpcBenchResult } from './harness.js';
import type { RpcBenchParams } from './params.js';
import type { SystemName } from './systems.js';

/** The targets for our tcp transport against each peer, at every connection count. */
const TARGETS: readonly { readonly peer: SystemName; readonly minRatio: number; readonly p99Lower: boolean; readonly what: string }[] = [
  { peer: 'grpc', minRatio: 2, p99Lower: true, what: 'tcp >= 2x grpc-js calls/s, p99 lower' },
  { peer: 'moleculer', minRatio: 1.5, p99Lower: true, what: 'tcp >= 1.5x Moleculer calls/s, p99 lower' },
  { peer: 'raw', minRatio: 0.5, p99Lower: false, what: 'tcp >= 50% of the raw node:net echo calls/s' },
];

const ms = (v: number): string => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const rate = (v: number): string => Math.round(v).toLocaleString('en-US');
const p50 = (m: Measurement): number => m.latency.quantileMs(0.5);
const p99 = (m: Measurement): number => m.latency.quantileMs(0.99);

/** Lowest-highest p99 of the rounds: how much the tail moved while measuring. */
function p99Rounds(m: Measurement): string {
  const each = m.rounds.map((r) => r.latency.quantileMs(0.99));
  return `${ms(Math.min(...each))}-${ms(Math.max(...each))}`;
}

/** µs of CPU per measured call, summed over the rounds. */
function cpuPerCall(m: Measurement, which: 'serverCpuMs' | 'driverCpuMs'): string {
  let cpu = 0;
  let calls = 0;
  for (const r of m.rounds) {
    const v = r[which];
    if (v === null) return '-';
    cpu += v;
    calls += r.calls;
  }
  return calls > 0 ? ((cpu * 1000) / calls).toFixed(1) : '-';
}

function find(result: RpcBenchResult, system: SystemName, connections: number): Measurement | undefined {
  return result.measurements.find((m) => m.system === system && m.connections === connections);
}

/** Our tcp over the other, overall and lowest-highest of the rounds paired by index. */
function tcpRatio(result: RpcBenchResult, m: Measurement): { overall: string; rounds: string } {
  const tcp = find(result, 'tcp', m.connections);
  if (tcp === undefined || m.system === 'tcp') return { overall: '-', rounds: '-' };
  const ours = roundRates(tcp);
  const theirs = roundRates(m);
  const each = ours.slice(0, theirs.length).map((r, i) => r / theirs[i]!);
  return {
    overall: `${(medianRate(tcp) / medianRate(m)).toFixed(2)}x`,
    rounds: each.length ? `${Math.min(...each).toFixed(2)}-${Math.max(...each).toFixed(2)}` : '-',
  };
}

export function formatRpcTable(result: RpcBenchResult): string[] {
  const header = ['system', 'conns', 'held', 'calls/s', 'p50 ms', 'p99 ms', 'p99 rounds', 'tcp/it', 'per round', 'server µs/call', 'driver µs/call', 'verified'];
  const rows = result.measurements.map((m) => {
    const r = tcpRatio(result, m);
    return [
      result.systems[m.system]?.label ?? m.system, String(m.connections), m.accepted === null ? '?' : String(m.accepted),
      rate(medianRate(m)), ms(p50(m)), ms(p99(m)), p99Rounds(m), r.overall, r.rounds,
      cpuPerCall(m, 'serverCpuMs'), cpuPerCall(m, 'driverCpuMs'), String(m.verified),
    ];
  });
  return textTable([header, ...rows]);
}

/** One line per target and connection count: PASS or MISS with the figures behind it. */
export function formatVerdicts(result: RpcBenchResult, p: RpcBenchParams): string[] {
  const lines: string[] = [];
  for (const t of TARGETS) {
    for (const n of p.connections) {
      const tcp = find(result, 'tcp', n);
      const peer = find(result, t.peer, n);
      if (tcp === undefined || peer === undefined) {
        lines.push(`  n/a   ${t.what}, ${n} conn: not measured in this run`);
        continue;
      }
      const ratio = medianRate(tcp) / medianRate(peer);
      const p99ok = !t.p99Lower || p99(tcp) < p99(peer);
      const pass = ratio >= t.minRatio && p99ok;
      const p99Text = t.p99Lower ? `; p99 ${ms(p99(tcp))} vs ${ms(p99(peer))} ms` : '';
      lines.push(`  ${pass ? 'PASS' : 'MISS'}  ${t.what}, ${n} conn: ${ratio.toFixed(2)}x${p99Text}`);
    }
  }
  return lines;
}

/** What the numbers mean and how each system was set up. */
export function formatNotes(result: RpcBenchResult): string[] {
  const lines = [
    'conns: connections asked for; held: connections the server held at the end (from /proc/net/tcp, server side).',
    'calls/s: median of the rounds; p50/p99: every call of every round, from call to reply in the driver; p99 rounds: lowest-highest p99 of a round.',
    'tcp/it: our tcp calls/s over the row\'s at the same connection count; per round: lowest-highest of the round-by-round ratios.',
    'server/driver µs/call: CPU (user + system) per call of the server process and of this process; they share the machine\'s cores.',
    'verified: replies compared byte for byte with a fresh payload (every reply\'s length is checked too).',
    'our tcp transport corks a connection from its first frame in a tick until the next tick (one writev per tick);'
      + ' the raw echo writes every frame with its own socket.write, uncorked, on both sides.',
  ];
  for (const [name, info] of Object.entries(result.systems)) {
    const payload = info.payload === 'bytes' ? 'a Buffer' : 'an ASCII string (no binary payload)';
    lines.push(`${info.label} (--only ${name}): ${payload}; ${info.setupNote}; N connections = ${info.connectionsNote}.`);
  }
  return lines;
}
