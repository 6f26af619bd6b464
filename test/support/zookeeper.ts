import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

/** Where Debian's `zookeeper` package puts its jar and scripts. */
export const ZK_JAR = '/usr/share/java/zookeeper.jar';
export const ZK_CLI = '/usr/share/zookeeper/bin/zkCli.sh';

export interface PeerServer {
  readonly host: string;
  readonly port: number;
  readonly connectString: string;
  readonly dataDir: string;
  stop(): Promise<void>;
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

/** Logs a visible skip message when the peer is missing; returns true when tests must skip. */
export function skipWithoutZooKeeper(suite: string): boolean {
  const why = zooKeeperMissing();
  if (why) console.warn(`[SKIP] ${suite}: ${why}`);
  return why !== null;
}

export interface ZooKeeperOptions {
  tickTime?: number;
  forceSync?: boolean;
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  /** ZooKeeper's znode.container.checkIntervalMs (default 60 s): container and TTL reaping. */
  containerCheckIntervalMs?: number;
  extra?: Record<string, string>;
}

/** Sends a four-letter word and collects the reply until the server closes. */
export function fourLetter(port: number, word: string, host = '127.0.0.1', timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, host);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`${word} timed out`)); }, timeoutMs);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('utf8')); });
  });
}

async function waitUntilServing(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`ZooKeeper exited with code ${child.exitCode}`);
    const reply = await fourLetter(port, 'ruok', '127.0.0.1', 500).catch(() => '');
    if (reply === 'imok') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ZooKeeper did not answer ruok on ${port} within ${deadlineMs} ms`);
}

/** Starts a standalone Apache ZooKeeper 3.8 on a free loopback port with its own data dir. */
export async function startZooKeeper(opts: ZooKeeperOptions = {}): Promise<PeerServer> {
  const why = zooKeeperMissing();
  if (why) throw new Error(why);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'paddock-zk-'));
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
  const cfgPath = join(dataDir, 'zoo.cfg');
  writeFileSync(cfgPath, Object.entries(cfg).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const child = spawn(
    'java',
    ['-Xmx512m', '-Dzookeeper.jmx.log4j.disable=true',
      `-Dznode.container.checkIntervalMs=${opts.containerCheckIntervalMs ?? 60_000}`, '-cp', `/etc/zookeeper/conf:${ZK_JAR}`,
      'org.apache.zookeeper.server.ZooKeeperServerMain', cfgPath],
    { stdio: 'ignore' },
  );
  try {
    await waitUntilServing(port, child, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    connectString: `127.0.0.1:${port}`,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
