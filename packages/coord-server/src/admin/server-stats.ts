import { OpCode } from '@paddock/coord-protocol';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@paddock/edges';
import type { ResolvedOptions } from '../config/options.js';
import type { ServerConnection } from '../net/server-connection.js';
import { FORMAT_DIR, SNAP_PREFIX, listZxidFiles } from '../persistence/files.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { dirSize } from './environment.js';
import { PrometheusMetrics } from './metrics.js';
import { roundedAverage } from './java-format.js';
import { NO_OP } from '../pipeline/request-stats.js';
import { MsSummary } from '../pipeline/ms-summary.js';
import { EnsembleCounters } from '../quorum/peer/ensemble-counters.js';
import type { QuorumStatus } from '../quorum/peer/quorum-status.js';
import { serverMode } from './quorum-view.js';

/** What the statistics read from the running server (CoordServer provides it). */
export interface StatsHost {
  readonly options: ResolvedOptions;
  readonly pipeline: Pipeline;
  readonly persistence: { readonly snapshots: number };
  readonly connections: ReadonlySet<ServerConnection>;
  readonly version: string;
  /** The client port actually bound (options.port may be 0). */
  readonly port: number;
  /** An ensemble member's place in the ensemble; absent on a standalone server. */
  readonly quorum?: QuorumStatus | null;
}

/** ZooKeeper's names for the last operation of a connection (FinalRequestProcessor's lastOp). */
const LAST_OP = new Map<number, string>([
  [OpCode.ping, 'PING'], [OpCode.createSession, 'SESS'], [OpCode.multi, 'MULT'], [OpCode.multiRead, 'MLTR'],
  [OpCode.create, 'CREA'], [OpCode.create2, 'CREA'], [OpCode.createTTL, 'CREA'], [OpCode.createContainer, 'CREA'],
  [OpCode.delete, 'DELE'], [OpCode.deleteContainer, 'DELE'], [OpCode.setData, 'SETD'], [OpCode.reconfig, 'RECO'],
  [OpCode.setACL, 'SETA'], [OpCode.closeSession, 'CLOS'], [OpCode.sync, 'SYNC'], [OpCode.check, 'CHEC'],
  [OpCode.exists, 'EXIS'], [OpCode.getData, 'GETD'], [OpCode.setWatches, 'SETW'], [OpCode.setWatches2, 'STW2'],
  [OpCode.addWatch, 'ADDW'], [OpCode.getACL, 'GETA'], [OpCode.getChildren, 'GETC'], [OpCode.getChildren2, 'GETC'],
  [OpCode.getAllChildrenNumber, 'GETACN'], [OpCode.checkWatches, 'CHKW'], [OpCode.removeWatches, 'REMW'],
  [OpCode.getEphemerals, 'GETE'], [OpCode.whoAmI, 'HOMI'],
]);

const lastOpName = (op: number): string => (op === NO_OP ? 'NA' : LAST_OP.get(op) ?? 'NA');

/** How long ZooKeeper lets a connection without a session live (zookeeper.nio.sessionlessCnxnTimeout). */
const SESSIONLESS_TIMEOUT_MS = 10_000;
/** ZooKeeper's default trace mask (gtmk before any stmk). */
const DEFAULT_TRACE_MASK = 306;

export interface ConnectionInfo {
  remote_socket_address: string;
  interest_ops: number;
  outstanding_requests: number;
  packets_received: number;
  packets_sent: number;
  session_id?: bigint;
  last_operation?: string;
  established?: number;
  session_timeout?: number;
  last_cxid?: number;
  last_zxid?: number;
  last_response_time?: number;
  last_latency?: number;
  min_latency?: number;
  avg_latency?: number;
  max_latency?: number;
}

/**
 * The one source of statistics: four-letter words, admin commands and /metrics all read
 * these, so a number means the same everywhere. Names follow ZooKeeper's ServerStats.
 */
export class ServerStats {
  readonly startedAt: number;
  /** Connections refused by maxClientCnxns (zk_connection_rejected). */
  connectionsRejected = 0;
  /**
   * Txns after which a learner's tree digest differed from the leader's (ZooKeeper's
   * DIGEST_MISMATCHES_COUNT): counted across terms, as ZooKeeper's process-wide counter is.
   */
  digestMismatches = 0;
  /** ZAB's counters and election times (zero on a standalone server). */
  readonly ensemble = new EnsembleCounters();
  /** fsynctime: ms for each txn log batch to be durable (its O_DSYNC write or write + fdatasync). */
  readonly fsyncTime = new MsSummary();
  /** snapshottime: ms to write each snapshot, its syncs included. */
  readonly snapshotTime = new MsSummary();
  traceMask = DEFAULT_TRACE_MASK;
  private exposition: PrometheusMetrics | null = null;

  constructor(readonly host: StatsHost, readonly clock: Clock) {
    this.startedAt = clock.monotonic();
  }

  /**
   * /metrics, made at the first scrape: prom-client's process metrics start observers (GC,
   * event loop delay) a server nobody scrapes need not run.
   */
  get prometheus(): PrometheusMetrics {
    this.exposition ??= new PrometheusMetrics(this, this.host.options.metricsProvider?.processMetrics ?? true);
    return this.exposition;
  }

  get pipeline(): Pipeline {
    return this.host.pipeline;
  }

  get snapDir(): string {
    return join(this.host.options.dataDir, FORMAT_DIR);
  }

  get logDir(): string {
    return join(this.host.options.dataLogDir, FORMAT_DIR);
  }

  get quorum(): QuorumStatus | undefined {
    return this.host.quorum ?? undefined;
  }

  /** False while an ensemble member elects or syncs: ZooKeeper's zkServer.isRunning(). */
  get serving(): boolean {
    return this.host.quorum?.serving ?? true;
  }

  /** conf's serverId: an ensemble member's myid, else the configured serverId. */
  get serverId(): number {
    return this.host.quorum?.config.myid ?? this.host.options.serverId;
  }

  /** `Mode:` and server_state: standalone, leader, follower or observer. */
  get serverState(): string {
    return serverMode(this.quorum);
  }

  /** The leader's proposal sizes (ZooKeeper's BufferStats), or undefined off the leader. */
  proposalStats(): { last_buffer_size: number; min_buffer_size: number; max_buffer_size: number } | undefined {
    const q = this.host.quorum;
    if (q?.role !== 'leading') return undefined;
    const p = q.proposalSizes;
    return { last_buffer_size: p.last, min_buffer_size: p.min, max_buffer_size: p.max };
  }

  get uptime(): number {
    return Math.floor(this.clock.monotonic() - this.startedAt);
  }

  /**
   * The leader's zk_leader_uptime: ms since it started serving (ZooKeeper's leaderStartTime is
   * set as a quorum has acknowledged NEWLEADER, when its server starts), when its pipeline was
   * built. Undefined off the leader.
   */
  get leaderUptime(): number | undefined {
    if (this.host.quorum?.role !== 'leading') return undefined;
    return Math.floor(this.clock.monotonic() - this.pipeline.startedAt);
  }

  ephemeralsCount(): number {
    return this.pipeline.tree.ephemeralCount;
  }

  /** ZooKeeper's approximate data size: path characters plus data bytes of every node. */
  approximateDataSize(): number {
    return this.pipeline.tree.approximateDataSize;
  }

  watchCount(): number {
    return this.pipeline.dataWatches.watchCount + this.pipeline.childWatches.watchCount;
  }

  /** The newest snapshot: its zxid in hex and its mtime in seconds, or ZooKeeper's -1s. */
  lastSnapshot(): { zxid: string; timestamp: number } {
    const snaps = listZxidFiles(this.snapDir, SNAP_PREFIX);
    const last = snaps[snaps.length - 1];
    if (!last) return { zxid: 'ffffffffffffffff', timestamp: -1 };
    return { zxid: last.zxid.toString(16), timestamp: Math.floor(this.mtimeMs(join(this.snapDir, last.name)) / 1000) };
  }

  private mtimeMs(path: string): number {
    try {
      return statSync(path).mtimeMs;
    } catch {
      return -1000;
    }
  }

  dirSizes(): { datadir_size: number; logdir_size: number } {
    return { datadir_size: dirSize(this.snapDir), logdir_size: dirSize(this.logDir) };
  }

  clientResponse(): { last_buffer_size: number; min_buffer_size: number; max_buffer_size: number } {
    const r = this.pipeline.stats;
    return { last_buffer_size: r.lastResponseSize, min_buffer_size: r.minResponseSize, max_buffer_size: r.maxResponseSize };
  }

  /** ZooKeeper's `server_stats` command body (srvr and stat print the same numbers). */
  serverStats(): Record<string, unknown> {
    const p = this.pipeline;
    const latency = p.stats.latency;
    const dirs = this.dirSizes();
    const proposals = this.proposalStats();
    return {
      version: this.host.version,
      read_only: false,
      server_stats: {
        packets_sent: p.counters.sent,
        packets_received: p.counters.received,
        fsync_threshold_exceed_count: 0,
        client_response_stats: this.clientResponse(),
        data_dir_size: dirs.datadir_size,
        log_dir_size: dirs.logdir_size,
        provider_null: false,
        server_state: this.serverState,
        last_processed_zxid: p.zxid,
        outstanding_requests: p.stats.outstanding,
        avg_latency: roundedAverage(latency.avg),
        max_latency: latency.max,
        min_latency: latency.min,
        num_alive_client_connections: this.host.connections.size,
        uptime: this.uptime,
        auth_failed_count: p.stats.authFailed,
        non_mtlsremote_conn_count: 0,
        non_mtlslocal_conn_count: 0,
      },
      client_response: this.clientResponse(),
      ...(proposals ? { proposal_stats: proposals } : {}),
      node_count: p.tree.size,
    };
  }

  connections(): readonly ServerConnection[] {
    return [...this.host.connections];
  }

  /** One connection as `cons` / `connections` show it; `brief` as `stat` / `stats` do. */
  connectionInfo(c: ServerConnection, brief: boolean): ConnectionInfo {
    const cs = this.pipeline.stats.of(c);
    const info: ConnectionInfo = {
      remote_socket_address: `${c.remoteAddress}:${c.remotePort}`,
      interest_ops: c.isClosed ? 0 : 1,
      outstanding_requests: cs?.outstanding ?? 0,
      packets_received: c.received,
      packets_sent: c.sent,
    };
    if (brief) return info;
    return {
      ...info,
      session_id: c.session?.id ?? 0n,
      last_operation: lastOpName(cs?.lastOp ?? NO_OP),
      established: cs?.established ?? c.openedAt,
      session_timeout: c.session?.timeout ?? 0,
      last_cxid: cs?.lastCxid ?? -1,
      last_zxid: cs?.lastZxid ?? -1,
      last_response_time: cs?.lastResponseTime ?? 0,
      last_latency: cs?.lastLatency ?? 0,
      min_latency: cs?.min ?? 0,
      // Per connection ZooKeeper divides in whole numbers.
      avg_latency: cs ? Math.floor(cs.avg) : 0,
      max_latency: cs?.max ?? 0,
    };
  }

  /**
   * Data watches by session and by path. ZooKeeper's wchc/wchp/wchs and their admin commands
   * report the data-watch table only (mntr's watch count has both), and so do we.
   */
  watchesBySession(): Map<bigint, string[]> {
    const out = new Map<bigint, string[]>();
    for (const c of this.host.connections) {
      const paths = this.pipeline.dataWatches.pathsOf(c);
      if (paths.size > 0 && c.session) out.set(c.session.id, [...paths]);
    }
    return out;
  }

  watchesByPath(): Map<string, bigint[]> {
    const w = this.pipeline.dataWatches;
    const out = new Map<string, bigint[]>();
    for (const path of w.allPaths()) {
      const ids: bigint[] = [];
      for (const watcher of w.watchersOf(path)) {
        if (watcher.session) ids.push(watcher.session.id);
      }
      out.set(path, ids);
    }
    return out;
  }

  watchSummary(): { num_connections: number; num_paths: number; num_total_watches: number } {
    const w = this.pipeline.dataWatches;
    let conns = 0;
    for (const c of this.host.connections) if (w.pathsOf(c).size > 0) conns++;
    return { num_connections: conns, num_paths: w.pathCount, num_total_watches: w.watchCount };
  }

  /** Sessions grouped by the monotonic time their expiry bucket comes due, soonest first. */
  sessionsByExpiry(): [number, bigint[]][] {
    const out = new Map<number, bigint[]>();
    for (const s of this.pipeline.sessions.all()) {
      const ids = out.get(s.expiresAt);
      if (ids) ids.push(s.id);
      else out.set(s.expiresAt, [s.id]);
    }
    return [...out].sort((a, b) => a[0] - b[0]);
  }

  /** Connections grouped by wall-clock expiry (their session's, or the sessionless timeout). */
  connectionsByExpiry(): [number, ServerConnection[]][] {
    const wallNow = this.clock.now();
    const monoNow = this.clock.monotonic();
    const out = new Map<number, ServerConnection[]>();
    for (const c of this.host.connections) {
      const at = c.session ? Math.floor(wallNow + c.session.expiresAt - monoNow) : c.openedAt + SESSIONLESS_TIMEOUT_MS;
      const list = out.get(at);
      if (list) list.push(c);
      else out.set(at, [c]);
    }
    return [...out].sort((a, b) => a[0] - b[0]);
  }

  /** wall-clock ms at which a monotonic expiry time comes due. */
  wallTimeOf(monotonicMs: number): number {
    return Math.floor(this.clock.now() + monotonicMs - this.clock.monotonic());
  }

  /** srst / stat_reset: latency, packet counts, reply sizes and the metric counters. */
  resetServer(): void {
    this.pipeline.stats.resetServer();
    this.connectionsRejected = 0;
    this.digestMismatches = 0;
  }

  /** crst / connection_stat_reset: every connection's packet counts, latency and last request. */
  resetConnections(): void {
    for (const c of this.host.connections) c.received = c.sent = 0;
    this.pipeline.stats.resetConnections();
  }
}
