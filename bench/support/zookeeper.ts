import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitUntilServing } from './four-letter.js';
import type { RestartOptions, RestartablePeer } from './peer-server.js';
import { freePort } from './ports.js';

// Shared by test/support (re-exported there) and the benches: the one way we start Apache
// ZooKeeper. It lives under bench/ because bench is a compiled project and test/ is not.

/** Where Debian's `zookeeper` package puts its jar and scripts. */
const ZK_JAR = '/usr/share/java/zookeeper.jar';
/** Debian's zookeeper.jar leaves the servlet API off its classpath; the AdminServer needs it. */
const SERVLET_JAR = '/usr/share/java/servlet-api.jar';
export const ZK_CLI = '/usr/share/zookeeper/bin/zkCli.sh';

export interface ZooKeeperOptions {
  tickTime?: number;
  forceSync?: boolean;
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  /** ZooKeeper's znode.container.checkIntervalMs (default 60 s): container and TTL reaping. */
  containerCheckIntervalMs?: number;
  extra?: Record<string, string>;
  /** Use this data dir (kept on stop, so a later start recovers from it); default a fresh temp dir, deleted on stop. */
  dataDir?: string;
  /** Client port; default a free one. */
  port?: number;
  /** JVM heap (-Xmx) in MiB; default 512. */
  heapMb?: number;
  /** Bound on the start (recovering a big data dir takes a while); default 30 s. */
  startTimeoutMs?: number;
  /** Pause between `srvr` probes while waiting for the start; default 100 ms. */
  pollMs?: number;
  /** Extra JVM options (zkServer.sh's SERVER_JVMFLAGS), e.g. `-Dzookeeper.enforceQuota=true`. */
  jvmFlags?: readonly string[];
}


let availability: string | null | undefined;

/**
 * Null when Apache ZooKeeper can be started here, else why not. In CI a missing peer is an
 * error, never a skip; locally the caller prints the reason and skips visibly.
 */
export function zooKeeperMissing(): string | null {
  if (availability !== undefined) return availability;
  if (!existsSync(ZK_JAR)) availability = `Apache ZooKeeper not installed (${ZK_JAR} missing; apt-get install zookeeper)`;
  else if (spawnSync('java', ['-version']).status !== 0) availability = 'java not found';
  else availability = null;
  if (availability && process.env.CI) throw new Error(`CI requires the ZooKeeper peer: ${availability}`);
  return availability;
}

/**
 * Debian's zookeeper.jar ships no SLF4J binding, so it logs nothing; slf4j-simple (libslf4j-java,
 * a dependency of libzookeeper-java) on the classpath makes it log INFO and up to stderr.
 */
const LOG_BINDING = '/usr/share/java/slf4j-simple.jar';
const LOG_PROPS = ['-Dorg.slf4j.simpleLogger.showDateTime=true', '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS',
  // A leader names some of its sync decisions (a TRUNC past its last commit) at DEBUG only.
  '-Dorg.slf4j.simpleLogger.log.org.apache.zookeeper.server.quorum.LearnerHandler=debug'];

/**
 * The java command line that runs one of ZooKeeper's main classes on a zoo.cfg (standalone or a
 * quorum peer); with `log`, its INFO log goes to stderr.
 */
export function zooKeeperJavaArgs(mainClass: string, cfgPath: string, heapMb: number, sysProps: readonly string[] = [], log = false): string[] {
  return [`-Xmx${heapMb}m`, '-Dzookeeper.jmx.log4j.disable=true', ...sysProps, ...(log ? LOG_PROPS : []),
    '-cp', `/etc/zookeeper/conf:${ZK_JAR}:${SERVLET_JAR}${log ? `:${LOG_BINDING}` : ''}`, mainClass, cfgPath];
}

function zooCfg(port: number, dataDir: string, opts: ZooKeeperOptions): string {
  const cfg = {
    tickTime: String(opts.tickTime ?? 2000),
    dataDir,
    clientPort: String(port),
    clientPortAddress: '127.0.0.1',
    forceSync: opts.forceSync ? 'yes' : 'no',
    'admin.enableServer': 'false',
    '4lw.commands.whitelist': '*',
    maxClientCnxns: '0',
    'extendedTypesEnabled': 'true',
    ...(opts.minSessionTimeout ? { minSessionTimeout: String(opts.minSessionTimeout) } : {}),
    ...(opts.maxSessionTimeout ? { maxSessionTimeout: String(opts.maxSessionTimeout) } : {}),
    ...opts.extra,
  };
  return Object.entries(cfg).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

/**
 * Starts a standalone Apache ZooKeeper 3.8 on a free loopback port with its own data dir.
 * `restart()` kills it (SIGKILL by default) and starts it again on the same port and data dir.
 */
export async function startZooKeeper(opts: ZooKeeperOptions = {}): Promise<RestartablePeer> {
  const why = zooKeeperMissing();
  if (why) throw new Error(why);
  const port = opts.port ?? await freePort();
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'paddock-zk-'));
  const cfgPath = join(dataDir, 'zoo.cfg');
  writeFileSync(cfgPath, zooCfg(port, dataDir, opts));
  const launch = (): ChildProcess => spawn(
    'java',
    zooKeeperJavaArgs('org.apache.zookeeper.server.ZooKeeperServerMain', cfgPath, opts.heapMb ?? 512,
      [`-Dznode.container.checkIntervalMs=${opts.containerCheckIntervalMs ?? 60_000}`, ...(opts.jvmFlags ?? [])]),
    { stdio: 'ignore' },
  );
  let child = launch();
  const stop = async (): Promise<void> => {
    await stopChild(child, 'SIGKILL', 0);
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const serving = async (): Promise<void> => {
    try {
      await waitUntilServing('ZooKeeper', port, child, opts.startTimeoutMs ?? 30_000, opts.pollMs);
    } catch (err) {
      await stop();
      throw err;
    }
  };
  await serving();
  return {
    host: '127.0.0.1', port, connectString: `127.0.0.1:${port}`, dataDir, stop,
    get pid() { return child.pid; },
    async restart(r: RestartOptions = {}) {
      await stopChild(child, r.signal ?? 'SIGKILL', 10_000);
      await r.whileDown?.();
      child = launch();
      await serving();
    },
  };
}
