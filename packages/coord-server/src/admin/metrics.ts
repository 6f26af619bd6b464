import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import type { MsSummary } from '../pipeline/ms-summary.js';
import { LATENCY_BUCKETS, type RequestMetrics } from '../pipeline/request-metrics.js';
import { MONITOR_ROWS, type MonitorRow, monitorValues } from './monitor-table.js';
import type { ServerStats } from './server-stats.js';

/** Content type of the Prometheus text exposition format, version 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** Quantiles ZooKeeper's Prometheus provider gives a summary of each detail level. */
const ADVANCED_QUANTILES = [0.5, 0.9, 0.99];
const BASIC_QUANTILES = [0.5];

type Labels = Record<string, string | number>;
interface Sample { value: number; labels: Labels; metricName?: string }

/** What a prom-client metric's get() returns: the registry formats it. */
function exposed<R>(name: string, help: string, type: 'histogram' | 'counter' | 'summary', values: Sample[]): R {
  return { name, help, type, values, aggregator: 'sum' } as R;
}

const LATENCY_NAME = 'paddock_request_latency_seconds';
const LATENCY_HELP = 'Seconds from a request\'s arrival to its reply leaving, by op';
const REQUESTS_NAME = 'paddock_requests_total';
const REQUESTS_HELP = 'Requests answered, by op';

/**
 * Per-op request latency, read from RequestMetrics' arrays when scraped: the hot path never
 * calls prom-client (its observe() hashes labels and allocates per call).
 */
class OpLatencyHistogram extends Histogram<'op'> {
  constructor(registry: Registry, private readonly m: () => RequestMetrics) {
    super({
      name: LATENCY_NAME, help: LATENCY_HELP,
      labelNames: ['op'], buckets: [...LATENCY_BUCKETS], registers: [registry],
    });
  }

  override async get(): ReturnType<Histogram<'op'>['get']> {
    const m = this.m();
    const values: Sample[] = [];
    m.opNames.forEach((op, row) => {
      if (m.counts[row] === 0) return;
      let cumulative = 0;
      const counts = m.buckets[row]!;
      LATENCY_BUCKETS.forEach((le, b) => {
        cumulative += counts[b]!;
        values.push({ value: cumulative, labels: { op, le }, metricName: `${LATENCY_NAME}_bucket` });
      });
      values.push({ value: m.counts[row]!, labels: { op, le: '+Inf' }, metricName: `${LATENCY_NAME}_bucket` });
      values.push({ value: m.seconds[row]!, labels: { op }, metricName: `${LATENCY_NAME}_sum` });
      values.push({ value: m.counts[row]!, labels: { op }, metricName: `${LATENCY_NAME}_count` });
    });
    return exposed(LATENCY_NAME, LATENCY_HELP, 'histogram', values);
  }

  /** The registry asks a histogram for this one when writing text (prom-client's exemplar path). */
  getForPromString(): ReturnType<Histogram<'op'>['get']> {
    return this.get();
  }
}

/** Requests by op: the histogram's counts as a counter, for a rate() without the buckets. */
class OpRequestCounter extends Counter<'op'> {
  constructor(registry: Registry, private readonly m: () => RequestMetrics) {
    super({ name: REQUESTS_NAME, help: REQUESTS_HELP, labelNames: ['op'], registers: [registry] });
  }

  override async get(): ReturnType<Counter<'op'>['get']> {
    const m = this.m();
    const values: Sample[] = [];
    m.opNames.forEach((op, row) => {
      if (m.counts[row]! > 0) values.push({ value: m.counts[row]!, labels: { op } });
    });
    return exposed(REQUESTS_NAME, REQUESTS_HELP, 'counter', values);
  }
}

/** A ZooKeeper summary (readlatency, ...) under its name, its quantiles from an MsSummary. */
class MsSummaryMetric extends Summary {
  constructor(registry: Registry, private readonly summaryName: string, private readonly helpText: string,
    private readonly quantiles: readonly number[], private readonly of: () => MsSummary) {
    super({ name: summaryName, help: helpText, percentiles: [...quantiles], registers: [registry] });
  }

  override async get(): ReturnType<Summary['get']> {
    const s = this.of();
    const values: Sample[] = this.quantiles.map((q) => ({ value: s.quantile(q), labels: { quantile: q } }));
    const name = this.summaryName;
    values.push({ value: s.sum, labels: {}, metricName: `${name}_sum` }, { value: s.count, labels: {}, metricName: `${name}_count` });
    return exposed(name, this.helpText, 'summary', values);
  }
}

/**
 * /metrics (the AdminServer's and metricsProvider's port 7000): prom-client's registry with the
 * mntr values under ZooKeeper's Prometheus names and types (gauges, ServerMetrics counters,
 * readlatency/updatelatency/dbinittime/fsynctime/snapshottime/election_time summaries), Paddock's per-op histogram and counter, and
 * prom-client's process and Node.js metrics unless processMetrics is off (metricsProvider.exportJvmInfo).
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  /** The monitor rows' metrics; a row is registered only while it has a value (a leader's rows on the leader). */
  private readonly rows = new Map<string, Gauge | Counter>();

  constructor(private readonly stats: ServerStats, processMetrics: boolean) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
    for (const r of MONITOR_ROWS) if (r.prom) this.rows.set(r.key, this.rowMetric(r));
    const metrics = () => stats.pipeline.stats.metrics;
    new OpLatencyHistogram(this.registry, metrics);
    new OpRequestCounter(this.registry, metrics);
    new MsSummaryMetric(this.registry, 'readlatency', 'Ms from arrival to reply of requests without a txn', ADVANCED_QUANTILES, () => metrics().readLatency);
    new MsSummaryMetric(this.registry, 'updatelatency', 'Ms from arrival to reply of requests with a txn', ADVANCED_QUANTILES, () => metrics().updateLatency);
    new MsSummaryMetric(this.registry, 'dbinittime', 'Ms to load the database from disk', BASIC_QUANTILES, () => metrics().dbInitTime);
    new MsSummaryMetric(this.registry, 'fsynctime', 'Ms for a txn log batch to be durable', BASIC_QUANTILES, () => stats.fsyncTime);
    new MsSummaryMetric(this.registry, 'snapshottime', 'Ms to write a snapshot', BASIC_QUANTILES, () => stats.snapshotTime);
    new MsSummaryMetric(this.registry, 'election_time', 'Ms from LOOKING to the election\'s decision', BASIC_QUANTILES, () => stats.ensemble.electionTime);
  }

  private rowMetric(r: MonitorRow): Gauge | Counter {
    const config = { name: r.key, help: r.help, registers: [] };
    return r.prom === 'counter' ? new Counter(config) : new Gauge(config);
  }

  /** The exposition text, every value read now. */
  async text(): Promise<string> {
    const present = new Set<string>();
    for (const { row, value } of monitorValues(this.stats)) {
      const metric = this.rows.get(row.key);
      if (!metric || typeof value !== 'number') continue;
      present.add(row.key);
      if (metric instanceof Gauge) metric.set(value);
      else {
        // A counter srst set back: prom-client counters only go up, so start it again.
        metric.reset();
        metric.inc(value);
      }
    }
    for (const [key, metric] of this.rows) {
      const registered = this.registry.getSingleMetric(key) !== undefined;
      if (present.has(key) && !registered) this.registry.registerMetric(metric);
      else if (!present.has(key) && registered) this.registry.removeSingleMetric(key);
    }
    return this.registry.metrics();
  }
}
