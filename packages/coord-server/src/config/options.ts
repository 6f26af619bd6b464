import { DEFAULT_MAX_BUFFER, FOUR_LETTER_WORDS, type FourLetterWord } from '@paddock/coord-protocol';
import { OptionError, checkOption, type Clock } from '@paddock/edges';
import type { AdminMount } from './admin-mount.js';
import type { Logger } from '../base/logger.js';
import type { StorageError } from '../persistence/data-dir.js';
import type { QuorumConfig } from '../quorum/config/quorum-config.js';

export interface CoordServerOptions {
  /** Address to listen on (clientPortAddress). Default 127.0.0.1. */
  host?: string;
  /** Client port; 0 picks a free one. Default 2181. */
  port?: number;
  /** Where the server keeps its data. Default ./data. */
  dataDir?: string;
  /** The basic time unit in ms: session timeouts are bounded by 2–20 ticks. Default 2000. */
  tickTime?: number;
  /** This server's id (myid): the high byte of every session id it creates. 0–254. Default 1. */
  serverId?: number;
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  /** How often empty containers and expired TTL nodes are looked for (znode.container.checkIntervalMs). */
  containerCheckIntervalMs?: number;
  /** jute.maxbuffer: the largest frame accepted from a client. Default 0xfffff. */
  maxBuffer?: number;
  /**
   * Ms a new connection may take to send its ConnectRequest before it is closed (ZooKeeper's
   * zookeeper.nio.sessionlessCnxnTimeout). Default 10000.
   */
  sessionlessCnxnTimeout?: number;
  /**
   * Bytes of incomplete frames buffered across all connections; a connection whose partial
   * frame takes the total past it is closed. At least jute.maxbuffer. Default 128 MiB.
   */
  maxPartialFrameBytes?: number;
  /** TTL nodes (ZooKeeper's extendedTypesEnabled). Default true. */
  extendedTypesEnabled?: boolean;
  /**
   * Refuse a create or setData past a hard quota (setquota -N/-B) with QuotaExceeded, and log
   * writes past a soft one (-n/-b): ZooKeeper's zookeeper.enforceQuota. Default false.
   */
  enforceQuota?: boolean;
  /** Where the txn log goes (dataLogDir); default dataDir. A separate disk helps latency. */
  dataLogDir?: string;
  /** false skips fdatasync (forceSync=no): faster, survives kill -9 but not power loss. Default true. */
  forceSync?: boolean;
  /** Txns between snapshots (snapCount). Default 100000. */
  snapCount?: number;
  /** Snapshots autopurge keeps (autopurge.snapRetainCount, at least 3). Default 3. */
  snapRetainCount?: number;
  /**
   * An ensemble leader syncs a learner behind its 500 recent commits from its txn log while
   * the log files to read are at most this fraction of the newest snapshot (ZooKeeper's
   * snapshotSizeFactor); -1: always by snapshot. Default 0.33.
   */
  snapshotSizeFactor?: number;
  /** Hours between autopurge runs; 0 disables it (autopurge.purgeInterval). Default 0. */
  purgeIntervalHours?: number;
  /** Connections allowed from one IP address; 0 means no limit (maxClientCnxns). Default 60. */
  maxClientCnxns?: number;
  /** Four-letter words answered (4lw.commands.whitelist). Default ['srvr'], as ZooKeeper. */
  fourLetterWords?: readonly FourLetterWord[];
  /** `user:base64(sha1(user:password))` of the super user (superDigest); '' disables it. */
  superDigest?: string;
  /** The AdminServer HTTP API (admin.enableServer / serverAddress / serverPort). */
  adminEnabled?: boolean;
  adminHost?: string;
  /** 0 picks a free port. Default 8080. */
  adminPort?: number;
  /** Extensions served on the AdminServer's port, such as the web console (the bin adds it). */
  adminMounts?: readonly AdminMount[];
  /**
   * ZooKeeper's Prometheus metrics provider (metricsProvider.className): /metrics on its own
   * port as well, where an existing scrape of ZooKeeper's port 7000 looks. Default: none.
   */
  metricsProvider?: MetricsProviderOptions | null;
  /**
   * The ensemble this server belongs to (zoo.cfg's server.N lines, when ZooKeeper would run them
   * as one). Not runnable yet: start() refuses it.
   */
  quorum?: QuorumConfig;
  logger?: Logger;
  clock?: Clock;
  /**
   * Called once if the disk fails under the txn log or a snapshot while serving. The server has
   * already stopped serving clients; the bin exits with `err.exitCode`.
   */
  onFatal?: (err: StorageError) => void;
}

export interface MetricsProviderOptions {
  /** metricsProvider.httpHost; default 0.0.0.0, as ZooKeeper (a scrape comes from elsewhere). */
  host?: string;
  /** metricsProvider.httpPort; 0 picks a free one. Default 7000. */
  port?: number;
  /** metricsProvider.exportJvmInfo: the process and Node.js metrics, on both /metrics. Default true. */
  processMetrics?: boolean;
}

const DEFAULT_PARTIAL_FRAME_BYTES = 128 * 1024 * 1024;

export type ResolvedOptions = Required<Omit<CoordServerOptions, 'logger' | 'clock' | 'onFatal' | 'quorum' | 'metricsProvider'>> & {
  metricsProvider: Required<MetricsProviderOptions> | null;
};

function metricsProvider(o: MetricsProviderOptions | null | undefined): Required<MetricsProviderOptions> | null {
  if (!o) return null;
  return {
    host: checkOption.nonEmptyString('metricsProvider.host', o.host ?? '0.0.0.0'),
    port: checkOption.int('metricsProvider.port', o.port ?? 7000, 0, 65535),
    processMetrics: o.processMetrics ?? true,
  };
}

function fourLetterWords(words: readonly string[]): readonly FourLetterWord[] {
  for (const w of words) {
    if (!(FOUR_LETTER_WORDS as readonly string[]).includes(w)) {
      throw new OptionError('fourLetterWords', w, { message: `fourLetterWords: unknown four-letter word ${JSON.stringify(w)}` });
    }
  }
  return words as readonly FourLetterWord[];
}

function superDigest(value: string): string {
  if (value !== '' && !/^[^:]+:.+$/.test(value)) {
    throw new OptionError('superDigest', value, 'must look like user:base64digest');
  }
  return value;
}

/** Fills defaults and rejects bad values with an OptionError naming the option and the value. */
export function resolveOptions(o: CoordServerOptions): ResolvedOptions {
  const tickTime = checkOption.int('tickTime', o.tickTime ?? 2000, 1, 3_600_000);
  const minSessionTimeout = checkOption.int('minSessionTimeout', o.minSessionTimeout ?? 2 * tickTime, 1, 2 ** 31 - 1);
  const maxSessionTimeout = checkOption.int('maxSessionTimeout', o.maxSessionTimeout ?? 20 * tickTime, 1, 2 ** 31 - 1);
  if (minSessionTimeout > maxSessionTimeout) {
    const message = `minSessionTimeout (${minSessionTimeout}) must not exceed maxSessionTimeout (${maxSessionTimeout})`;
    throw new OptionError('minSessionTimeout', minSessionTimeout, { message });
  }
  const maxBuffer = checkOption.int('maxBuffer', o.maxBuffer ?? DEFAULT_MAX_BUFFER, 1024, 2 ** 30);
  const host = checkOption.nonEmptyString('host', o.host ?? '127.0.0.1');
  const dataDir = o.dataDir ?? './data';
  if (typeof dataDir !== 'string' || dataDir.length === 0) throw new OptionError('dataDir', dataDir, 'must be a non-empty path');
  return {
    host,
    port: checkOption.int('port', o.port ?? 2181, 0, 65535),
    dataDir,
    tickTime,
    // 255 would make session ids look like TTL owners (ZooKeeper forbids it with extended types).
    serverId: checkOption.int('serverId', o.serverId ?? 1, 0, 254),
    minSessionTimeout,
    maxSessionTimeout,
    containerCheckIntervalMs: checkOption.int('containerCheckIntervalMs', o.containerCheckIntervalMs ?? 60_000, 1, 2 ** 31 - 1),
    maxBuffer,
    sessionlessCnxnTimeout: checkOption.int('sessionlessCnxnTimeout', o.sessionlessCnxnTimeout ?? 10_000, 1, 2 ** 31 - 1),
    maxPartialFrameBytes: checkOption.int('maxPartialFrameBytes', o.maxPartialFrameBytes ?? DEFAULT_PARTIAL_FRAME_BYTES, maxBuffer, 2 ** 40),
    extendedTypesEnabled: o.extendedTypesEnabled ?? true,
    enforceQuota: o.enforceQuota ?? false,
    dataLogDir: o.dataLogDir ?? dataDir,
    forceSync: o.forceSync ?? true,
    snapCount: checkOption.int('snapCount', o.snapCount ?? 100_000, 2, 2 ** 31 - 1),
    snapRetainCount: checkOption.int('snapRetainCount', o.snapRetainCount ?? 3, 3, 10_000),
    snapshotSizeFactor: checkOption.number('snapshotSizeFactor', o.snapshotSizeFactor ?? 0.33, -1, 1),
    purgeIntervalHours: checkOption.int('purgeIntervalHours', o.purgeIntervalHours ?? 0, 0, 100_000),
    maxClientCnxns: checkOption.int('maxClientCnxns', o.maxClientCnxns ?? 60, 0, 2 ** 31 - 1),
    fourLetterWords: fourLetterWords(o.fourLetterWords ?? ['srvr']),
    superDigest: superDigest(o.superDigest ?? ''),
    adminEnabled: o.adminEnabled ?? true,
    adminHost: o.adminHost ?? '127.0.0.1',
    adminPort: checkOption.int('adminPort', o.adminPort ?? 8080, 0, 65535),
    metricsProvider: metricsProvider(o.metricsProvider),
    adminMounts: o.adminMounts ?? [],
  };
}
