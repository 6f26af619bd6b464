import { createServer, type Server, type Socket } from 'node:net';
import type { FourLetterWord } from '@paddock/coord-protocol';
import { AdminServer } from './admin/admin-server.js';
import { MetricsServer } from './admin/metrics-server.js';
import { ServerStats } from './admin/server-stats.js';
import { type CoordServerOptions, type ResolvedOptions, resolveOptions } from './config/options.js';
import { createLogger, type Logger } from './base/logger.js';
import { answerFourLetterWord } from './admin/four-letter-words.js';
import { type ConnectionHost, ServerConnection } from './net/server-connection.js';
import { join } from 'node:path';
import { systemClock, type Clock } from '@paddock/edges';
import { type StorageError, prepareDataDir } from './persistence/data-dir.js';
import { DirLock } from './persistence/dir-lock.js';
import { FORMAT_DIR } from './persistence/files.js';
import { Persistence } from './persistence/persistence.js';
import { RecentTxns } from './persistence/recent-txns.js';
import { type RecoveredState, recover } from './persistence/recovery.js';
import { MemoryTxnLog, type TxnLog } from './persistence/txn-log.js';
import type { QuorumConfig } from './quorum/config/quorum-config.js';
import type { LocalState, PeerHost } from './quorum/peer/peer-host.js';
import { QuorumPeer } from './quorum/peer/quorum-peer.js';
import { syncCodecs } from './quorum/peer/sync-codecs.js';
import { SessionTracker } from './session/session-tracker.js';
import { DataTree } from './tree/data-tree.js';
import { type RoleHooks, buildPipeline } from './pipeline/build-pipeline.js';
import type { Pipeline } from './pipeline/pipeline.js';
import { RequestMetrics } from './pipeline/request-metrics.js';

/** The version string four-letter words and the admin API report. */
export const VERSION = '3.8.0-paddock-0.1.0';

/**
 * A standalone coordination server speaking ZooKeeper's client protocol. `start()` resolves
 * once it listens; `close()` stops listening, drops connections and stops its timers.
 */
export class CoordServer implements ConnectionHost, PeerHost {
  /** The pipeline clients are served by; an ensemble member builds one per term. */
  pipeline: Pipeline;
  /** False while an ensemble member elects or syncs: connects are refused (as ZooKeeper does). */
  serving = true;
  /** The ensemble member this server is, or null when standalone. */
  readonly quorum: QuorumPeer | null = null;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly connections = new Set<ServerConnection>();
  readonly version = VERSION;
  /** Counts every pipeline of this server adds to, so they survive an ensemble member's terms. */
  private readonly metrics = new RequestMetrics();
  private readonly timers: NodeJS.Timeout[] = [];
  private net: Server | null = null;
  private admin: AdminServer | null = null;
  private metricsServer: MetricsServer | null = null;
  /** What the four-letter words, the admin commands and /metrics report. */
  readonly stats: ServerStats;
  host: string;
  port: number;

  private local: LocalState | null = null;
  /** The storage failure that stopped this server, if one did. */
  fatal: StorageError | null = null;
  /** Bytes of incomplete frames buffered across all connections (bounded by maxPartialFrameBytes). */
  partialFrameBytes = 0;

  private constructor(
    readonly options: ResolvedOptions, clock: Clock, logger: Logger, private readonly lock: DirLock,
    private readonly onFatal: ((err: StorageError) => void) | undefined, quorum: QuorumConfig | undefined,
  ) {
    this.logger = logger;
    this.clock = clock;
    this.host = options.host;
    this.port = options.port;
    if (quorum) {
      // Each term builds its own state from disk; until the first serves, an empty one answers.
      this.quorum = new QuorumPeer(this, quorum, syncCodecs(clock, options.serverId, options.snapshotSizeFactor));
      this.serving = false;
      this.pipeline = this.buildPipeline(emptyState(options, clock), new MemoryTxnLog());
    } else {
      const state = this.load();
      this.pipeline = this.buildPipeline(state.recovered, state.persistence);
    }
    this.stats = new ServerStats(this, clock);
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get tickTime(): number {
    return this.options.tickTime;
  }

  /** The persistence of the current state (standalone: always; an ensemble member: per term). */
  get persistence(): Persistence {
    if (!this.local) throw new Error('no data loaded yet: the ensemble member has not started a term');
    return this.local.persistence;
  }

  recover(): RecoveredState {
    const { options } = this;
    const t0 = performance.now();
    const recovered = recover({
      snapDir: join(options.dataDir, FORMAT_DIR), logDir: join(options.dataLogDir, FORMAT_DIR),
      tickTime: options.tickTime, serverId: options.serverId, clock: this.clock,
      logger: this.logger.child({ component: 'recovery' }),
      // An ensemble leader syncs learners by DIFF from its recent history (ZooKeeper keeps 500).
      keepRecent: this.quorum ? RECENT_TXNS : 0,
    });
    const ms = Math.round(performance.now() - t0);
    this.metrics.dbInitTime.observe(ms);
    this.logger.info({
      zxid: recovered.lastZxid, snapshotZxid: recovered.snapshotZxid, replayed: recovered.replayed,
      nodes: recovered.tree.size, sessions: recovered.sessions.size, ms,
    }, 'recovered data');
    return recovered;
  }

  load(): LocalState {
    const { options } = this;
    const recovered = this.recover();
    const persistence = new Persistence({
      snapDir: join(options.dataDir, FORMAT_DIR), logDir: join(options.dataLogDir, FORMAT_DIR),
      forceSync: options.forceSync, snapCount: options.snapCount,
      snapRetainCount: options.snapRetainCount, logger: this.logger.child({ component: 'persistence' }),
      random: Math.random, onFatal: (err) => { void this.failed(err, this.onFatal); },
      recent: recovered.recent,
      timings: { fsync: (ms) => this.stats.fsyncTime.observe(ms), snapshot: (ms) => this.stats.snapshotTime.observe(ms) },
    }, recovered.lastZxid);
    persistence.attach(recovered.tree, recovered.sessions);
    this.local = { recovered, persistence };
    return this.local;
  }

  buildPipeline(state: RecoveredState, log: TxnLog, role: RoleHooks = {}): Pipeline {
    const { options } = this;
    return buildPipeline({
      tickTime: options.tickTime,
      minSessionTimeout: options.minSessionTimeout,
      maxSessionTimeout: options.maxSessionTimeout,
      serverId: options.serverId,
      extendedTypes: options.extendedTypesEnabled,
      enforceQuota: options.enforceQuota,
      superDigest: options.superDigest,
      clock: this.clock,
      log,
      logger: this.logger.child({ component: 'pipeline' }),
      metrics: this.metrics,
      ...role,
    }, state);
  }

  stopOnStorageFailure(err: StorageError): void {
    void this.failed(err, this.onFatal);
  }

  serve(pipeline: Pipeline | null): void {
    if (pipeline) {
      this.pipeline = pipeline;
      this.serving = true;
      return;
    }
    this.serving = false;
    for (const c of [...this.connections]) c.destroy();
  }

  /**
   * Starts the server once its data directories are usable and locked, recovery has rebuilt
   * the tree and the client port listens. A directory that cannot be used or is held by
   * another server, or history that cannot be recovered, is refused before the port opens.
   */
  static async start(opts: CoordServerOptions = {}): Promise<CoordServer> {
    const options = resolveOptions(opts);
    const logger = opts.logger ?? createLogger();
    const dirs = [{ dir: options.dataDir, role: 'dataDir' }, { dir: options.dataLogDir, role: 'dataLogDir' }];
    for (const { dir, role } of dirs) prepareDataDir(dir, role);
    if (!DirLock.supported) logger.warn('no data directory lock on this platform: make sure one server uses each dataDir');
    const lock = await DirLock.acquire(dirs);
    let server: CoordServer;
    try {
      server = new CoordServer(options, opts.clock ?? systemClock, logger, lock, opts.onFatal, opts.quorum);
      await server.listen();
      await server.quorum?.start();
    } catch (err) {
      await lock.release();
      throw err;
    }
    server.timers.push(
      // Only a serving pipeline: an ensemble term that ended leaves its pipeline behind, over a
      // tree the next term goes on with.
      setInterval(() => server.serving && server.pipeline.expireSessions(), options.tickTime),
      setInterval(() => server.serving && server.pipeline.reapContainers(), options.containerCheckIntervalMs),
    );
    if (options.purgeIntervalHours > 0) {
      server.timers.push(setInterval(() => server.local?.persistence.purgeNow(), options.purgeIntervalHours * 3_600_000));
    }
    for (const t of server.timers) t.unref();
    if (options.metricsProvider) await server.startMetrics(options.metricsProvider);
    if (options.adminEnabled) await server.startAdmin();
    server.logger.info({ host: server.host, port: server.port, dataDir: options.dataDir }, 'coordination server listening');
    return server;
  }

  /**
   * A busy admin port does not stop the server: it serves clients without the AdminServer and
   * says why (as a ZooKeeper quorum peer does; the standalone ZooKeeper exits instead).
   */
  private async startAdmin(): Promise<void> {
    const { adminHost: host, adminPort: port } = this.options;
    const logger = this.logger.child({ component: 'admin' });
    try {
      const mounts = this.options.adminMounts;
      this.admin = await AdminServer.start(this.stats, { host, port, logger, mounts, clientHost: this.host, clientPort: this.port });
      logger.info({ host, port: this.admin.port }, 'admin server listening');
    } catch (err) {
      logger.error({ err, host, port }, `admin server not started: cannot listen on ${host}:${port}`);
    }
  }

  /** A busy metrics port stops the start, as ZooKeeper's failing metrics provider does. */
  private async startMetrics(o: { host: string; port: number }): Promise<void> {
    const logger = this.logger.child({ component: 'metrics' });
    try {
      this.metricsServer = await MetricsServer.start(this.stats, { ...o, logger });
    } catch (err) {
      await this.close();
      throw err;
    }
    logger.info({ host: o.host, port: this.metricsServer.port }, 'metrics provider listening');
  }

  /** The metrics provider's bound port (port 7000 by default), or null without one. */
  get metricsPort(): number | null {
    return this.metricsServer?.port ?? null;
  }

  /** The AdminServer's bound port, or null when it is disabled or could not start. */
  get adminPort(): number | null {
    return this.admin?.port ?? null;
  }

  get maxBuffer(): number {
    return this.options.maxBuffer;
  }

  get sessionlessCnxnTimeout(): number {
    return this.options.sessionlessCnxnTimeout;
  }

  holdPartialFrames(delta: number): boolean {
    this.partialFrameBytes += delta;
    return delta <= 0 || this.partialFrameBytes <= this.options.maxPartialFrameBytes;
  }

  private listen(): Promise<void> {
    const srv = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.net = srv;
    return new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(this.options.port, this.options.host, () => {
        srv.off('error', reject);
        srv.on('error', (err) => this.logger.error({ err }, 'listener error'));
        const addr = srv.address();
        if (addr && typeof addr === 'object') this.port = addr.port;
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    const max = this.options.maxClientCnxns;
    if (max > 0) {
      const ip = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      let n = 0;
      for (const c of this.connections) if (c.remoteAddress === ip) n++;
      if (n >= max) {
        this.stats.connectionsRejected++;
        this.logger.warn({ ip, max }, `Too many connections from /${ip} - max is ${max}`);
        socket.destroy();
        return;
      }
    }
    this.connections.add(new ServerConnection(socket, this));
  }

  fourLetterWord(word: FourLetterWord): string {
    if (!this.options.fourLetterWords.includes(word)) return `${word} is not executed because it is not in the whitelist.\n`;
    return answerFourLetterWord(word, this.stats);
  }

  connectionClosed(conn: ServerConnection): void {
    this.connections.delete(conn);
    this.pipeline.connectionClosed(conn);
  }

  /** Stops listening and drops every connection; what is logged stays logged. */
  private async stopServing(why: string): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    const srv = this.net;
    this.net = null;
    for (const c of [...this.connections]) c.destroy();
    if (srv) await new Promise<void>((resolve) => srv.close(() => resolve()));
    this.logger.info({ why }, 'stopped serving clients');
  }

  /**
   * The disk failed: nothing more is acknowledged. Clients and the AdminServer are cut off at
   * once, so no health check reports a server that serves nobody, and the owner is told (the
   * bin exits with the error's status, so a supervisor restarts the server).
   */
  private async failed(err: StorageError, onFatal: ((err: StorageError) => void) | undefined): Promise<void> {
    this.fatal = err;
    await Promise.all([this.closeHttp(), this.stopServing(err.message)]);
    onFatal?.(err);
  }

  /** The AdminServer and the metrics provider's port. */
  private async closeHttp(): Promise<void> {
    const { admin, metricsServer } = this;
    this.admin = this.metricsServer = null;
    await Promise.all([admin?.close(), metricsServer?.close()]);
  }

  async close(): Promise<void> {
    await this.closeHttp();
    await this.quorum?.stop();
    await this.stopServing('close');
    if (!this.quorum) await this.local?.persistence.close();
    await this.lock.release();
    this.logger.info('coordination server stopped');
  }
}

/** Txns an ensemble member keeps from recovery for DIFF sync: ZooKeeper's commitLogCount. */
const RECENT_TXNS = 500;

/** The state an ensemble member answers with before its first term: an empty tree. */
function emptyState(options: ResolvedOptions, clock: Clock): RecoveredState {
  return {
    tree: new DataTree(), sessions: new SessionTracker(options.tickTime, clock, options.serverId),
    lastZxid: 0, snapshotZxid: 0, replayed: 0, truncated: null, recent: new RecentTxns(0),
  };
}
