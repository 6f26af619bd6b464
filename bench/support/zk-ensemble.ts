import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fourLetter, stopChild } from './four-letter.js';
import { freePort } from './ports.js';
import { zooKeeperJavaArgs } from './zookeeper.js';

/** One server.N line of the ensemble: a real ZooKeeper we start, or a seat a test fills itself. */
interface MemberSpec {
  readonly id: number;
  readonly role?: 'participant' | 'observer';
  /** True: no process is started for it; its ports are reserved in the config for the test's own peer. */
  readonly external?: boolean;
}

export interface EnsembleOptions {
  readonly members: readonly MemberSpec[];
  /** ms; default 1000 (pings every 500 ms, sessions from 2 s). */
  readonly tickTime?: number;
  /** Ticks a learner has to connect and sync; default 10. */
  readonly initLimit?: number;
  /** Ticks a learner may lag once synced; default 5. */
  readonly syncLimit?: number;
  /** Bound on the whole start, election included; default 60 s. */
  readonly startTimeoutMs?: number;
  /** More zoo.cfg lines for every real member, e.g. reconfigEnabled=true. */
  readonly extra?: Readonly<Record<string, string>>;
  /** Start each member's AdminServer on a free loopback port (Member.adminPort); default off. */
  readonly adminServer?: boolean;
  /** Write the configs but start no process: the test calls launch(id) when it wants each one. */
  readonly deferLaunch?: boolean;
  /** Each member logs INFO and up to its server.log (an SLF4J binding on the classpath); default off. */
  readonly log?: boolean;
  /** Java system properties for every real member, e.g. -Dznode.container.checkIntervalMs=500. */
  readonly sysProps?: readonly string[];
  /**
   * The server.N lines of one member's zoo.cfg, when they differ per member (a test that puts
   * a proxy on every peer link lists the others at its proxies); default the same for all.
   */
  readonly peerLines?: (self: Member, members: readonly Member[]) => readonly string[];
}

export interface Member {
  readonly id: number;
  readonly role: 'participant' | 'observer';
  readonly external: boolean;
  readonly clientPort: number;
  readonly quorumPort: number;
  readonly electionPort: number;
  /** The AdminServer's port, when EnsembleOptions.adminServer is on. */
  readonly adminPort?: number;
  readonly dir: string;
  /** The ZooKeeper process; undefined for an external seat or once killed. */
  readonly pid: number | undefined;
}

export type ServerMode = 'leader' | 'follower' | 'observer' | 'standalone' | 'down';

interface Running extends Member {
  child?: ChildProcess;
}

/**
 * Apache ZooKeeper 3.8 servers (Debian's) as members of one ensemble on loopback, each in its
 * own dir with its myid and a zoo.cfg listing every member, external seats included, so a test
 * can take a seat with a peer of its own. Processes are killed by PID with SIGKILL, on stop()
 * and, as a last resort, when the test process exits.
 */
export class ZkEnsemble {
  private readonly exitHook = (): void => {
    for (const m of this.running) m.child?.kill('SIGKILL');
  };

  private constructor(
    readonly root: string,
    private readonly running: Running[],
    private readonly startTimeoutMs: number,
    private readonly log: boolean,
    private readonly sysProps: readonly string[],
    private readonly peerLines: EnsembleOptions['peerLines'],
  ) {
    process.once('exit', this.exitHook);
  }

  static async start(opts: EnsembleOptions): Promise<ZkEnsemble> {
    const root = mkdtempSync(join(tmpdir(), 'paddock-zk-ensemble-'));
    const members: Running[] = [];
    for (const spec of opts.members) {
      const dir = join(root, `server${spec.id}`);
      members.push({
        id: spec.id, role: spec.role ?? 'participant', external: spec.external ?? false, dir, pid: undefined,
        clientPort: await freePort(), quorumPort: await freePort(), electionPort: await freePort(),
        ...(opts.adminServer ? { adminPort: await freePort() } : {}),
      });
    }
    const ensemble = new ZkEnsemble(root, members, opts.startTimeoutMs ?? 60_000, opts.log ?? false, opts.sysProps ?? [], opts.peerLines);
    const cfg = zooCfg(members, opts);
    for (const m of members) {
      if (m.external) continue;
      mkdirSync(join(m.dir, 'data'), { recursive: true });
      writeFileSync(join(m.dir, 'data', 'myid'), `${m.id}\n`);
      writeFileSync(join(m.dir, 'zoo.cfg'), cfg(m));
      if (!opts.deferLaunch) ensemble.spawn(m);
    }
    ensemble.lines = serverLines(members);
    return ensemble;
  }

  /** The ensemble's server.N lines (external seats included), for a peer of the test's own. */
  lines: readonly string[] = [];

  /** The server.N lines of member `id`'s zoo.cfg (peerLines's, or the shared ones). */
  linesOf(id: number): readonly string[] {
    return this.peerLines?.(this.member(id), this.members) ?? this.lines;
  }

  /** The file a member logs to. */
  logPath(id: number): string {
    return join(this.member(id).dir, 'server.log');
  }

  /** Starts a real member that is not running (deferred, or killed before: a restart on its data). */
  launch(id: number): void {
    const m = this.running.find((x) => x.id === id);
    if (!m || m.external) throw new Error(`member ${id} is not a real ZooKeeper of this ensemble`);
    if (!m.child) this.spawn(m);
  }

  get members(): readonly Member[] {
    return this.running.map((m) => ({ ...m, pid: m.child?.pid }));
  }

  member(id: number): Member {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no member ${id} in the ensemble`);
    return m;
  }

  private spawn(m: Running): void {
    const log = openSync(join(m.dir, 'server.log'), 'a');
    const args = zooKeeperJavaArgs('org.apache.zookeeper.server.quorum.QuorumPeerMain', join(m.dir, 'zoo.cfg'), 256, this.sysProps, this.log);
    m.child = spawn('java', args, { stdio: ['ignore', log, log] });
    closeSync(log);
  }

  /** What `srvr` says of a real member: its Mode line, or 'down' while it does not serve. */
  async mode(id: number): Promise<ServerMode> {
    const m = this.member(id);
    if (m.external || m.pid === undefined) return 'down';
    const srvr = await fourLetter(m.clientPort, 'srvr', '127.0.0.1', 1000).catch(() => '');
    const mode = /^Mode: (\w+)/m.exec(srvr)?.[1];
    return mode === 'leader' || mode === 'follower' || mode === 'observer' || mode === 'standalone' ? mode : 'down';
  }

  /** Waits until one real member says leader and every other real one follows or observes. */
  async waitForLeader(timeoutMs = this.startTimeoutMs): Promise<Member> {
    const until = Date.now() + timeoutMs;
    let modes: ServerMode[] = [];
    while (Date.now() < until) {
      const real = this.members.filter((m) => !m.external && m.pid !== undefined);
      modes = await Promise.all(real.map((m) => this.mode(m.id)));
      const leaders = real.filter((_, i) => modes[i] === 'leader');
      if (leaders.length === 1 && modes.every((x) => x !== 'down' && x !== 'standalone')) return leaders[0]!;
      for (const m of this.running) {
        if (m.child && m.child.exitCode !== null) throw new Error(`ZooKeeper ${m.id} exited (${m.child.exitCode}): ${this.logTail(m.id)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no leader within ${timeoutMs} ms (modes ${modes.join(', ')})`);
  }

  /** The last lines of a member's log, for failure messages. */
  logTail(id: number, lines = 30): string {
    return this.logText(id).split('\n').slice(-lines).join('\n');
  }

  /** A member's whole server.log ('' before its first start). */
  logText(id: number): string {
    try {
      return readFileSync(this.logPath(id), 'utf8');
    } catch {
      return '';
    }
  }

  /** Empties a stopped member's data (snapshots, logs, epoch files; myid stays), so its next launch starts blank. */
  wipe(id: number): void {
    const m = this.member(id);
    if (m.pid !== undefined) throw new Error(`member ${id} is running: kill it before wiping its data`);
    rmSync(join(m.dir, 'data', 'version-2'), { recursive: true, force: true });
  }

  /** kill -9 of one member, by its PID; resolves once it has exited. */
  async kill(id: number): Promise<void> {
    const m = this.running.find((x) => x.id === id);
    if (!m?.child) return;
    await stopChild(m.child, 'SIGKILL', 0);
    delete m.child;
  }

  /** Kills every process it started and deletes the dirs; idempotent. */
  async stop(): Promise<void> {
    for (const m of this.running) await this.kill(m.id);
    process.removeListener('exit', this.exitHook);
    rmSync(this.root, { recursive: true, force: true });
  }
}

function serverLines(members: readonly Member[]): string[] {
  return members.map((m) => `server.${m.id}=127.0.0.1:${m.quorumPort}:${m.electionPort}${m.role === 'observer' ? ':observer' : ''}`);
}

/** zoo.cfg for one member: the same server lines for all; observers say so of themselves. */
function zooCfg(members: readonly Member[], opts: EnsembleOptions): (m: Member) => string {
  const servers = serverLines(members);
  return (m) => [
    `tickTime=${opts.tickTime ?? 1000}`,
    `initLimit=${opts.initLimit ?? 10}`,
    `syncLimit=${opts.syncLimit ?? 5}`,
    `dataDir=${join(m.dir, 'data')}`,
    `clientPort=${m.clientPort}`,
    'clientPortAddress=127.0.0.1',
    ...(m.adminPort === undefined
      ? ['admin.enableServer=false']
      : ['admin.enableServer=true', 'admin.serverAddress=127.0.0.1', `admin.serverPort=${m.adminPort}`]),
    '4lw.commands.whitelist=*',
    ...(m.role === 'observer' ? ['peerType=observer'] : []),
    ...Object.entries(opts.extra ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(opts.peerLines?.(m, members) ?? servers),
  ].join('\n') + '\n';
}
