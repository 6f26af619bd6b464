import { fileDescriptors } from './environment.js';
import { javaDouble, roundedAverage } from './java-format.js';
import { learnerCounts, peerState } from './quorum-view.js';
import type { MsSummary } from '../pipeline/ms-summary.js';
import type { ServerStats } from './server-stats.js';

/**
 * The monitor table: `mntr` prints it as `zk_<key>\t<value>`, the `monitor` command as JSON,
 * /metrics as Prometheus gauges. Keys and order are those of ZooKeeper 3.8 on a standalone
 * server, limited to what we measure, plus the values that are zero by construction here
 * (no TLS, no local sessions, no connection dropping), which monitoring scripts expect.
 */
export interface MonitorRow {
  readonly key: string;
  readonly help: string;
  /** How mntr prints it: text as is, int in decimal, double as Java's Double.toString. */
  readonly kind: 'text' | 'int' | 'double';
  /**
   * Its Prometheus type on /metrics, as ZooKeeper's Prometheus provider types it (a ServerMetrics
   * counter, else a gauge); null where /metrics has it otherwise (a summary's rows) or not at
   * all (text).
   */
  readonly prom: 'gauge' | 'counter' | null;
  /** undefined leaves the row out (file descriptors where /proc is missing). */
  value(s: ServerStats, fds: { open: number; max: number } | null): string | number | undefined;
}

const row = (key: string, kind: MonitorRow['kind'], help: string, value: MonitorRow['value']): MonitorRow =>
  ({ key, kind, help, value, prom: kind === 'text' ? null : 'gauge' });
const counter = (key: string, help: string, value: MonitorRow['value']): MonitorRow =>
  ({ key, kind: 'int', help, value, prom: 'counter' });

/**
 * A ZooKeeper summary as its mntr prints it: avg_, min_, max_, cnt_, sum_ (and p50_ to p999_
 * for a summary ZooKeeper keeps at the advanced detail level). /metrics has it as one summary.
 */
function summary(name: string, help: string, of: (s: ServerStats) => MsSummary, advanced: boolean): MonitorRow[] {
  const r = (prefix: string, kind: MonitorRow['kind'], v: (m: MsSummary) => number): MonitorRow =>
    ({ key: `${prefix}_${name}`, kind, help: `${help}: ${prefix}`, value: (s) => v(of(s)), prom: null });
  const rows = [
    r('avg', 'double', (m) => roundedAverage(m.avg)), r('min', 'int', (m) => m.min), r('max', 'int', (m) => m.max),
    r('cnt', 'int', (m) => m.count), r('sum', 'int', (m) => m.sum),
  ];
  if (!advanced) return rows;
  return [...rows, ...PERCENTILES.map(([p, q]) => r(p, 'int', (m) => m.quantile(q)))];
}

const PERCENTILES: readonly (readonly [string, number])[] = [['p50', 0.5], ['p95', 0.95], ['p99', 0.99], ['p999', 0.999]];
const metricsOf = (s: ServerStats) => s.pipeline.stats.metrics;

/** The leader's status, for rows only the leader has. */
const leading = (s: ServerStats) => (s.quorum?.role === 'leading' ? s.quorum : undefined);
const learners = (s: ServerStats) => {
  const q = leading(s);
  return q && learnerCounts(q);
};

const MONITOR: readonly MonitorRow[] = [
  row('version', 'text', 'Server version', (s) => s.host.version),
  row('server_state', 'text', 'standalone, leader, follower or observer', (s) => s.serverState),
  row('peer_state', 'text', 'Ensemble role and ZAB phase, as "following - broadcast"', (s) => s.quorum && peerState(s.quorum)),
  row('observer_master_id', 'int', 'Observer: the id of the server it learns from (the leader)',
    (s) => (s.quorum?.role === 'observing' ? s.quorum.leaderId ?? -1 : undefined)),
  row('ephemerals_count', 'int', 'Ephemeral znodes', (s) => s.ephemeralsCount()),
  row('num_alive_connections', 'int', 'Open client connections', (s) => s.host.connections.size),
  row('avg_latency', 'double', 'Average request latency in ms, arrival to reply', (s) => roundedAverage(s.pipeline.stats.latency.avg)),
  row('min_proposal_size', 'int', 'Leader: bytes of the smallest proposal, -1 before the first', (s) => leading(s)?.proposalSizes.min),
  row('outstanding_requests', 'int', 'Replies waiting for their txn to be durable', (s) => s.pipeline.stats.outstanding),
  row('znode_count', 'int', 'Znodes in the tree', (s) => s.pipeline.tree.size),
  row('global_sessions', 'int', 'Live sessions', (s) => s.pipeline.sessions.size),
  row('non_mtls_remote_conn_count', 'int', 'Remote connections without mutual TLS (no TLS port: 0)', () => 0),
  row('last_client_response_size', 'int', 'Bytes of the last reply or event, -1 before the first', (s) => s.pipeline.stats.lastResponseSize),
  // Gauges in ZooKeeper (srst resets them); counters here, which is what they count: a reset
  // reads as a restart to rate() and increase().
  counter('packets_sent', 'Frames sent to clients', (s) => s.pipeline.counters.sent),
  counter('packets_received', 'Requests received from clients', (s) => s.pipeline.counters.received),
  row('max_proposal_size', 'int', 'Leader: bytes of the largest proposal, -1 before the first', (s) => leading(s)?.proposalSizes.max),
  row('max_client_response_size', 'int', 'Bytes of the largest reply or event', (s) => s.pipeline.stats.maxResponseSize),
  row('synced_followers', 'int', 'Leader: followers in sync', (s) => learners(s)?.syncedFollowers),
  row('connection_drop_probability', 'double', 'Probability of dropping a new connection (never: 0)', () => 0),
  row('watch_count', 'int', 'Data and child watches', (s) => s.watchCount()),
  row('synced_non_voting_followers', 'int', 'Leader: followers in sync that do not vote', (s) => learners(s)?.syncedNonVoting),
  row('synced_observers', 'int', 'Leader: observers in sync', (s) => learners(s)?.syncedObservers),
  row('auth_failed_count', 'int', 'Failed addAuth requests', (s) => s.pipeline.stats.authFailed),
  row('min_latency', 'int', 'Smallest request latency in ms', (s) => s.pipeline.stats.latency.min),
  row('max_file_descriptor_count', 'int', 'File descriptor limit of the process', (_s, fds) => fds?.max),
  row('approximate_data_size', 'int', 'Path characters plus data bytes of all znodes', (s) => s.approximateDataSize()),
  row('open_file_descriptor_count', 'int', 'Open file descriptors of the process', (_s, fds) => fds?.open),
  row('last_proposal_size', 'int', 'Leader: bytes of the last proposal, -1 before the first', (s) => leading(s)?.proposalSizes.last),
  row('pending_syncs', 'int', 'Leader: forwarded syncs waiting for their proposals to commit', (s) => leading(s)?.pendingSyncs),
  row('leader_uptime', 'int', 'Leader: milliseconds since it started serving as leader', (s) => s.leaderUptime),
  row('local_sessions', 'int', 'Local sessions (not supported: 0)', () => 0),
  row('uptime', 'int', 'Milliseconds since the server started', (s) => s.uptime),
  row('max_latency', 'int', 'Largest request latency in ms', (s) => s.pipeline.stats.latency.max),
  row('outstanding_tls_handshake', 'int', 'TLS handshakes in progress (no TLS port: 0)', () => 0),
  row('learners', 'int', 'Leader: learners connected (followers and observers)', (s) => learners(s)?.learners),
  row('min_client_response_size', 'int', 'Bytes of the smallest reply or event', (s) => s.pipeline.stats.minResponseSize),
  row('non_mtls_local_conn_count', 'int', 'Local connections without mutual TLS (no TLS port: 0)', () => 0),
  row('quorum_size', 'int', 'Ensemble: voting members', (s) => s.quorum?.config.verifier.voters.size),
  counter('proposal_count', 'Txns proposed while leading', (s) => s.ensemble.proposals),
  counter('watch_bytes', 'Bytes of watch event frames sent', (s) => metricsOf(s).watchBytes),
  counter('connection_rejected', 'Connections refused by maxClientCnxns', (s) => s.connectionsRejected),
  counter('looking_count', 'Times this server started an election (LOOKING)', (s) => s.ensemble.looking),
  counter('learner_proposal_received_count', 'PROPOSALs a follower received and logged', (s) => s.ensemble.learnerProposals),
  counter('digest_mismatches_count', 'Txns after which this learner\'s tree digest differed from the leader\'s', (s) => s.digestMismatches),
  counter('bytes_received_count', 'Bytes of request frames received, length prefix included', (s) => metricsOf(s).bytesReceived),
  counter('learner_commit_received_count', 'COMMITs (an observer: INFORMs) a learner applied', (s) => s.ensemble.learnerCommits),
  counter('connection_request_count', 'Session requests (ConnectRequest) received', (s) => metricsOf(s).connectionRequests),
  counter('response_bytes', 'Bytes of reply frames sent', (s) => metricsOf(s).responseBytes),
  counter('diff_count', 'Learners synced by DIFF or TRUNC while leading', (s) => s.ensemble.diffSyncs),
  counter('snap_count', 'Learners synced by SNAP (the whole tree) while leading', (s) => s.ensemble.snapSyncs),
  counter('commit_count', 'Txns committed while leading', (s) => s.ensemble.commits),
  ...summary('fsynctime', 'Ms for a txn log batch to be durable', (s) => s.fsyncTime, false),
  ...summary('snapshottime', 'Ms to write a snapshot', (s) => s.snapshotTime, false),
  ...summary('dbinittime', 'Ms to load the database from disk', (s) => metricsOf(s).dbInitTime, false),
  ...summary('election_time', 'Ms from LOOKING to the election\'s decision', (s) => s.ensemble.electionTime, false),
  ...summary('updatelatency', 'Ms from arrival to reply of requests with a txn', (s) => metricsOf(s).updateLatency, true),
  ...summary('readlatency', 'Ms from arrival to reply of requests without a txn (reads, pings)', (s) => metricsOf(s).readLatency, true),
];

/** The rows, for /metrics. */
export const MONITOR_ROWS: readonly MonitorRow[] = MONITOR;

/** The table's rows with their current values, in order; rows without a value are left out. */
export function monitorValues(s: ServerStats): { row: MonitorRow; value: string | number }[] {
  const fds = fileDescriptors();
  const out: { row: MonitorRow; value: string | number }[] = [];
  for (const r of MONITOR) {
    const value = r.value(s, fds);
    if (value !== undefined) out.push({ row: r, value });
  }
  return out;
}

/** A value as mntr prints it. */
export function monitorText(r: MonitorRow, value: string | number): string {
  if (r.kind === 'double') return javaDouble(value as number);
  return String(value);
}
