import { monitorValues } from './monitor-table.js';
import type { ServerStats } from './server-stats.js';

/** Content type of the Prometheus text exposition format, version 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** HELP text escapes backslash and newline (the format's only escapes there). */
const escapeHelp = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

/**
 * /metrics: every numeric row of the monitor table as a gauge, under the name ZooKeeper's
 * Prometheus provider gives it (the mntr key without `zk_`: znode_count, avg_latency, ...).
 */
export function prometheusText(s: ServerStats): string {
  let out = '';
  for (const { row, value } of monitorValues(s)) {
    if (typeof value !== 'number') continue;
    out += `# HELP ${row.key} ${escapeHelp(row.help)}\n# TYPE ${row.key} gauge\n${row.key} ${value}\n`;
  }
  return out;
}
