import type { RestartOptions, RestartablePeer } from '../../../bench/support/peer-server.js';
import { memberPorts, serverLines } from './paddock-ensemble.js';
import { DEFAULT_TICK_MS, PaddockProcess } from './paddock-process.js';

/** Server settings a suite asks of its server (as it passes them to startPaddock or startZooKeeper). */
export interface EnsembleSettings {
  readonly tickTime?: number;
  readonly minSessionTimeout?: number;
  readonly maxSessionTimeout?: number;
  readonly superDigest?: string;
}

/** Bound on an ensemble electing a leader and every member serving (starts, restarts). */
const SERVING_MS = 30_000;
const POLL_MS = 50;
const MAX_SIZE = 9;
/**
 * Floors, in wall-clock ms, for the members' syncLimit and initLimit (zoo.cfg counts them in
 * ticks). The registry suites tick every 200 ms so that sessions expire quickly, which made
 * syncLimit 1 s: less than the stalls of five members on a loaded 2-core machine (a member
 * forwarding 1000 creates at once blocked its event loop 650 ms, whole processes went
 * unscheduled for 400 ms), and a leader that hears nothing from a quorum of learners for
 * syncLimit steps down, as ZooKeeper's does (the registry scale test saw ConnectionLoss). Ticks
 * stay the suite's: session timeouts are bounded by them.
 */
const SYNC_FLOOR_MS = 5000;
const INIT_FLOOR_MS = 10_000;
/** Log lines per member in a failure report, of the last LOG_SCAN lines, each cut at LINE_CHARS. */
const LOG_LINES = 25;
const LOG_SCAN = 20_000;
const LINE_CHARS = 600;

/**
 * An all-Paddock ensemble run as one server by the project's suites: the connect string lists
 * every member, `port` is one member (what a suite's TcpProxy points at), and the members are
 * processes (PaddockProcess), so a leader can be killed with kill -9 by its PID.
 */
export interface PaddockEnsemble extends RestartablePeer {
  readonly members: readonly PaddockProcess[];
  /** The member that answers srvr with Mode: leader, waiting for one (bounded). */
  leader(): Promise<PaddockProcess>;
  /** Waits until there is a leader and every running member serves. */
  serving(ms?: number): Promise<void>;
  /**
   * kill -9 the leader, without waiting for the election: what follows runs through the
   * failover. With `restart` it starts again at once on the same data, else it stays down
   * until `startStopped()`. Resolves with the killed member's id.
   */
  killLeader(opts?: { restart?: boolean }): Promise<number>;
  /** Starts every member that is down (on its data); `serving()` then waits for all. */
  startStopped(): void;
  /** Each member's id, pid, Mode and log tail: what a failed test prints. */
  describe(): Promise<string>;
}

/**
 * Starts `size` Paddock members as processes (ids 1..size, loopback ports, forceSync off: a
 * kill -9 of a process does not lose what its page cache holds) and resolves once a leader is
 * elected and all serve. `restart()` maps a standalone server's restart onto the ensemble as
 * the whole service going down: every member is killed (SIGKILL, or SIGTERM when asked),
 * `whileDown` runs, all start again and it resolves once they serve. `stop()` kills all and
 * removes their data.
 */
export async function startPaddockEnsemble(size: number, settings: EnsembleSettings = {}): Promise<PaddockEnsemble> {
  if (!Number.isInteger(size) || size < 3 || size > MAX_SIZE) {
    throw new RangeError(`ensemble size must be an integer from 3 to ${MAX_SIZE}, got ${size}`);
  }
  const ports = await memberPorts(size);
  const lines = serverLines(ports);
  const extra = [
    ...(settings.minSessionTimeout === undefined ? [] : [`minSessionTimeout=${settings.minSessionTimeout}`]),
    ...(settings.maxSessionTimeout === undefined ? [] : [`maxSessionTimeout=${settings.maxSessionTimeout}`]),
    ...(settings.superDigest === undefined ? [] : [`DigestAuthenticationProvider.superDigest=${settings.superDigest}`]),
  ];
  const tickTime = settings.tickTime ?? DEFAULT_TICK_MS;
  const limits = { syncLimit: Math.ceil(SYNC_FLOOR_MS / tickTime), initLimit: Math.ceil(INIT_FLOOR_MS / tickTime) };
  const members = ports.map((p, i) => new PaddockProcess(i + 1, {
    lines, clientPort: p.client, tickTime, forceSync: false, extra, ...limits,
  }));
  let lastKilled = 0;
  const modes = (): Promise<string[]> => Promise.all(members.map((m) => m.mode()));
  const ensemble: PaddockEnsemble = {
    members,
    host: '127.0.0.1',
    connectString: ports.map((p) => `127.0.0.1:${p.client}`).join(','),
    dataDir: members[0]!.dataDir,
    // Not the member killed last: a proxy made right after a kill should reach a server soon.
    get port() {
      return members.find((m) => m.id !== lastKilled)!.clientPort;
    },
    async leader() {
      let found: PaddockProcess | undefined;
      await until('a leader', async () => {
        const now = await modes();
        found = members[now.indexOf('leader')];
        return found !== undefined;
      }, members);
      return found!;
    },
    async serving(ms = SERVING_MS) {
      await until('a leader and every running member serving', async () => {
        const now = await modes();
        return now.includes('leader') && now.every((m, i) => m === 'leader' || m === 'follower' || members[i]!.pid === undefined);
      }, members, ms);
    },
    async killLeader(opts = {}) {
      const leader = await ensemble.leader();
      await leader.kill();
      lastKilled = leader.id;
      if (opts.restart) leader.start();
      return leader.id;
    },
    startStopped() {
      for (const m of members) m.start();
    },
    async describe() {
      const now = await modes();
      return members.map((m, i) => memberReport(m, now[i]!)).join('\n');
    },
    async restart(r: RestartOptions = {}) {
      await Promise.all(members.map((m) => (r.signal === 'SIGTERM' ? m.stop() : m.kill())));
      await r.whileDown?.();
      ensemble.startStopped();
      await ensemble.serving();
    },
    async stop() {
      // PADDOCK_ENSEMBLE_KEEP=1 keeps the data dirs and logs for a look after a failure.
      await Promise.all(members.map((m) => (process.env.PADDOCK_ENSEMBLE_KEEP ? m.kill() : m.remove())));
    },
  };
  ensemble.startStopped();
  try {
    await ensemble.serving();
  } catch (err) {
    await ensemble.stop();
    throw err;
  }
  return ensemble;
}

/** Polls `check` until it holds; on timeout the error carries each member's log tail. */
async function until(what: string, check: () => Promise<boolean>, members: readonly PaddockProcess[], ms = SERVING_MS): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const logs = members.map((m) => memberReport(m, 'not asked')).join('\n');
  throw new Error(`timed out after ${ms} ms waiting for ${what}\n${logs}`);
}

function memberReport(m: PaddockProcess, mode: string): string {
  return `--- member ${m.id} (pid ${m.pid ?? 'none'}, mode ${mode}, client port ${m.clientPort}, dir ${m.dataDir}) ---\n${telling(m.logTail(LOG_SCAN))}`;
}

/**
 * The lines of a member's log that tell its story: elections, warnings and errors, a run of
 * the same message (a failing term retried in a loop) folded into one line with its count.
 */
function telling(log: string): string {
  const out: string[] = [];
  let last = '';
  let repeats = 0;
  for (const line of log.split('\n')) {
    // Not JSON: what the process wrote itself (a crash's stack, the bin's last word).
    const raw = line !== '' && !line.startsWith('{');
    if (!raw && !/"level":(?:[4-6]\d)|election decided|left the ensemble role/.test(line)) continue;
    const key = line.replace(/"time":\d+,"pid":\d+,/, '');
    if (key === last) {
      repeats++;
      continue;
    }
    if (repeats > 0) out.push(`  (the line above ${repeats} more times)`);
    out.push(line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS)}…` : line);
    last = key;
    repeats = 0;
  }
  if (repeats > 0) out.push(`  (the line above ${repeats} more times)`);
  return out.slice(-LOG_LINES).join('\n');
}
