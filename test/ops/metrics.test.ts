import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { type MetricType, type PromFamily, parsePrometheusText, promtoolCheck, sampleValue } from '../support/prometheus-text.js';
import { startPaddock } from '../support/paddock.js';
import { http } from './ops-support.js';

/**
 * The names and types ZooKeeper 3.8's PrometheusMetricsProvider exports for what we measure,
 * read from its sources (ZooKeeperServer.registerMetrics: gauges; ServerMetrics: counters and
 * summaries; simpleclient 0.9 adds no _total). Debian's zookeeper 3.8 jar has no Prometheus
 * provider (the zookeeper-prometheus-metrics module is not packaged), so no live ZooKeeper can
 * be scraped here; its mntr keys are checked live in four-letter-words-vs-zookeeper.
 */
const ZOOKEEPER_PROMETHEUS: Readonly<Record<string, MetricType>> = {
  approximate_data_size: 'gauge', auth_failed_count: 'gauge', avg_latency: 'gauge', connection_drop_probability: 'gauge',
  ephemerals_count: 'gauge', global_sessions: 'gauge', last_client_response_size: 'gauge', local_sessions: 'gauge',
  max_client_response_size: 'gauge', max_file_descriptor_count: 'gauge', max_latency: 'gauge', min_client_response_size: 'gauge',
  min_latency: 'gauge', non_mtls_local_conn_count: 'gauge', non_mtls_remote_conn_count: 'gauge', num_alive_connections: 'gauge',
  open_file_descriptor_count: 'gauge', outstanding_requests: 'gauge', outstanding_tls_handshake: 'gauge', uptime: 'gauge',
  watch_count: 'gauge', znode_count: 'gauge',
  // Gauges in ZooKeeper; counters here (see docs/metrics.md).
  packets_received: 'counter', packets_sent: 'counter',
  connection_rejected: 'counter', digest_mismatches_count: 'counter', snap_count: 'counter', bytes_received_count: 'counter',
  connection_request_count: 'counter', response_bytes: 'counter', watch_bytes: 'counter',
  readlatency: 'summary', updatelatency: 'summary', dbinittime: 'summary',
  // ZAB's ServerMetrics, zero on a standalone server; fsync and snapshot times on every server.
  proposal_count: 'counter', commit_count: 'counter', looking_count: 'counter', learner_proposal_received_count: 'counter',
  learner_commit_received_count: 'counter', diff_count: 'counter',
  fsynctime: 'summary', snapshottime: 'summary', election_time: 'summary',
};

async function scrape(port: number): Promise<Map<string, PromFamily>> {
  const r = await http(port, '/metrics');
  expect(r.status).toBe(200);
  expect(r.type).toBe('text/plain; version=0.0.4; charset=utf-8');
  const check = promtoolCheck(r.text);
  if (check === 'missing') console.warn('[SKIP] promtool check metrics: promtool (Debian prometheus) is not installed');
  else expect(check, 'promtool check metrics').toBeNull();
  return parsePrometheusText(r.text);
}

const value = (f: Map<string, PromFamily>, family: string, sample = family, labels: Record<string, string> = {}) =>
  sampleValue(f.get(family), sample, labels) ?? 0;

describe('/metrics (AdminServer and metricsProvider port)', () => {
  let p: Awaited<ReturnType<typeof startPaddock>>;
  let client: CoordClient;
  let admin: number;
  let provider: number;

  beforeAll(async () => {
    p = await startPaddock({ adminEnabled: true, adminPort: 0, metricsProvider: { host: '127.0.0.1', port: 0 } });
    admin = p.server.adminPort!;
    provider = p.server.metricsPort!;
    client = await CoordClient.connect(p.connectString, { sessionTimeout: 30_000 });
  });
  afterAll(async () => {
    await client?.close();
    await p?.stop();
  });

  it('has ZooKeeper\'s Prometheus names with their types, a per-op histogram, and the process metrics', async () => {
    const f = await scrape(admin);
    for (const [name, type] of Object.entries(ZOOKEEPER_PROMETHEUS)) expect(f.get(name)?.type, name).toBe(type);
    expect(f.get('paddock_request_latency_seconds')?.type).toBe('histogram');
    expect(f.get('paddock_requests_total')?.type).toBe('counter');
    expect(f.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(f.get('process_resident_memory_bytes')?.type).toBe('gauge');
    expect(f.get('nodejs_heap_size_used_bytes')?.type).toBe('gauge');
    expect(f.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    // ZooKeeper's advanced summaries have three quantiles, its basic ones the median.
    expect(f.get('readlatency')!.samples.map((s) => s.labels.quantile).filter(Boolean)).toEqual(['0.5', '0.9', '0.99']);
    expect(f.get('dbinittime')!.samples.map((s) => s.labels.quantile).filter(Boolean)).toEqual(['0.5']);
    expect(value(f, 'dbinittime', 'dbinittime_count')).toBe(1);
  });

  it('docs/metrics.md names every metric but prom-client\'s process and Node.js ones', async () => {
    const doc = readFileSync('docs/metrics.md', 'utf8');
    const f = await scrape(admin);
    for (const name of f.keys()) {
      if (/^(process|nodejs)_/.test(name)) continue;
      expect(doc, name).toContain(`\`${name}`);
    }
  });

  it('values move under traffic, on both ports', async () => {
    const before = await scrape(admin);
    const beforeProvider = await scrape(provider);
    const n = 20;
    for (let i = 0; i < n; i++) await client.create(`/m${i}`, Buffer.from('0123456789'));
    for (let i = 0; i < n; i++) await client.getData(`/m${i}`);
    for (const after of [await scrape(admin), await scrape(provider)]) {
      const grew = (family: string, sample = family, labels: Record<string, string> = {}) =>
        value(after, family, sample, labels) - value(before, family, sample, labels);
      expect(grew('paddock_requests_total', 'paddock_requests_total', { op: 'create' })).toBe(n);
      expect(grew('paddock_requests_total', 'paddock_requests_total', { op: 'getData' })).toBe(n);
      expect(grew('paddock_request_latency_seconds', 'paddock_request_latency_seconds_count', { op: 'create' })).toBe(n);
      expect(grew('paddock_request_latency_seconds', 'paddock_request_latency_seconds_bucket', { op: 'create', le: '+Inf' })).toBe(n);
      expect(grew('paddock_request_latency_seconds', 'paddock_request_latency_seconds_sum', { op: 'create' })).toBeGreaterThan(0);
      expect(grew('updatelatency', 'updatelatency_count')).toBe(n);
      expect(grew('readlatency', 'readlatency_count')).toBeGreaterThanOrEqual(n);
      expect(grew('znode_count')).toBe(n);
      expect(grew('packets_received')).toBeGreaterThanOrEqual(2 * n);
      expect(grew('packets_sent')).toBeGreaterThanOrEqual(2 * n);
      // Each create carries its path and 10 data bytes; each reply at least a header.
      expect(grew('bytes_received_count')).toBeGreaterThan(2 * n * 16);
      expect(grew('response_bytes')).toBeGreaterThan(2 * n * 16);
    }
    // The provider's port serves the same registry.
    expect(value(beforeProvider, 'znode_count')).toBe(value(before, 'znode_count'));
  });

  it('a watch event counts in watch_bytes; the metrics port has /metrics alone', async () => {
    const before = await scrape(admin);
    let fire = () => {};
    const fired = new Promise<void>((resolve) => { fire = resolve; });
    await client.getData('/m0', () => fire());
    await client.setData('/m0', Buffer.from('x'));
    await fired;
    const after = await scrape(admin);
    expect(value(after, 'watch_bytes') - value(before, 'watch_bytes')).toBeGreaterThan(0);
    expect((await http(provider, '/commands/stat')).status).toBe(404);
  });
});

describe('metricsProvider.httpPort in use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddock-metrics-'));
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => busy.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('the bin exits non-zero with one line naming the address', () => {
    const cfg = join(dir, 'zoo.cfg');
    writeFileSync(cfg, [
      `dataDir=${join(dir, 'data')}`, 'clientPort=0', 'admin.enableServer=false',
      'metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider',
      'metricsProvider.httpHost=127.0.0.1', `metricsProvider.httpPort=${busyPort}`, '',
    ].join('\n'));
    const r = spawnSync(process.execPath, ['packages/coord-server/bin/coord-server.js', '--config', cfg], {
      encoding: 'utf8', timeout: 20_000, env: { ...process.env, PADDOCK_LOG_LEVEL: 'silent' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `coord-server: cannot listen on 127.0.0.1:${busyPort} for metricsProvider.httpPort (EADDRINUSE)`,
    ]);
  });
});
