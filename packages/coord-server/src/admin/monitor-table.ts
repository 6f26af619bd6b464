import { fileDescriptors } from './environment.js';
import { javaDouble, roundedAverage } from './java-format.js';
import { learnerCounts, peerState } from './quorum-view.js';
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
  /** undefined leaves the row out (file descriptors where /proc is missing). */
  value(s: ServerStats, fds: { open: number; max: number } | null): string | number | undefined;
}

const row = (key: string, kind: MonitorRow['kind'], help: string, value: MonitorRow['value']): MonitorRow =>
  ({ key, kind, help, value });

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
  row('packets_sent', 'int', 'Frames sent to clients', (s) => s.pipeline.counters.sent),
  row('packets_received', 'int', 'Requests received from clients', (s) => s.pipeline.counters.received),
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
  row('connection_rejected', 'int', 'Connections refused by maxClientCnxns', (s) => s.connectionsRejected),
  row('digest_mismatches_count', 'int', 'Txns after which this learner\'s tree digest differed from the leader\'s', (s) => s.digestMismatches),
  row('snap_count', 'int', 'Snapshots written', (s) => s.snapshotsTaken),
];

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
