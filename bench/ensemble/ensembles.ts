import { join } from 'node:path';
import type { SideName } from '../coord/harness.js';
import { memberPorts, serverLines } from '../support/ensemble-ports.js';
import { PaddockProcess } from '../support/paddock-process.js';
import { ZkEnsemble } from '../support/zk-ensemble.js';
import type { EnsembleBenchParams } from './params.js';

/** Ids of the three voters (no observers: the notes compare plain three-server ensembles). */
export const MEMBER_IDS: readonly number[] = [1, 2, 3];

/** A three-server ensemble of one kind, each member its own process, driven the same way for both kinds. */
export interface BenchEnsemble {
  readonly side: SideName;
  clientPort(id: number): number;
  /** The member's process id; undefined while it is down. */
  pid(id: number): number | undefined;
  /** srvr's Mode line: leader, follower, or down (not serving, not running). */
  mode(id: number): Promise<string>;
  /** kill -9 by PID; resolves once the process is gone. */
  kill(id: number): Promise<void>;
  /** Starts a killed member again on its own data. */
  restart(id: number): void;
  /** Where the member's own log is (ZooKeeper's Debian jar logs nothing: no SLF4J binding). */
  logPath(id: number): string;
  /** Kills every member and deletes the data; idempotent. */
  stop(): Promise<void>;
}

/**
 * The zoo.cfg settings both kinds share: durable (forceSync=yes), ZooKeeper's sample limits
 * (initLimit 10, syncLimit 5), maxClientCnxns unlimited; everything else ZooKeeper's default.
 */
function shared(p: EnsembleBenchParams): { tickTime: number; initLimit: number; syncLimit: number } {
  return { tickTime: p.tickTime, initLimit: 10, syncLimit: 5 };
}

async function zooKeeperEnsemble(p: EnsembleBenchParams): Promise<BenchEnsemble> {
  const ens = await ZkEnsemble.start({
    members: MEMBER_IDS.map((id) => ({ id })), ...shared(p),
    extra: { forceSync: 'yes', maxClientCnxns: '0' }, startTimeoutMs: p.startTimeoutMs,
  });
  return {
    side: 'zookeeper',
    clientPort: (id) => ens.member(id).clientPort,
    pid: (id) => ens.member(id).pid,
    mode: (id) => ens.mode(id),
    kill: (id) => ens.kill(id),
    restart: (id) => ens.launch(id),
    logPath: (id) => join(ens.member(id).dir, 'server.log'),
    stop: () => ens.stop(),
  };
}

/** Where each of our members writes its --cpu-prof profile: profileDir/member-N. */
export function memberProfileDir(profileDir: string, id: number): string {
  return join(profileDir, `member-${id}`);
}

async function paddockEnsemble(p: EnsembleBenchParams, profileDir?: string): Promise<BenchEnsemble> {
  const ports = await memberPorts(MEMBER_IDS.length);
  const lines = serverLines(ports);
  const members = new Map(MEMBER_IDS.map((id, i) => [id, new PaddockProcess(id, {
    lines, clientPort: ports[i]!.client, ...shared(p), forceSync: true,
    ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${memberProfileDir(profileDir, id)}`] } : {}),
  })]));
  const member = (id: number): PaddockProcess => {
    const m = members.get(id);
    if (!m) throw new Error(`no member ${id} in the ensemble`);
    return m;
  };
  for (const m of members.values()) m.start();
  return {
    side: 'paddock',
    clientPort: (id) => member(id).clientPort,
    pid: (id) => member(id).pid,
    mode: (id) => member(id).mode(),
    kill: (id) => member(id).kill(),
    restart: (id) => member(id).start(),
    logPath: (id) => join(member(id).dataDir, 'server.log'),
    stop: async () => {
      // SIGTERM first: the server closes and exits, and --cpu-prof writes its profile.
      for (const m of members.values()) await m.stop();
      for (const m of members.values()) await m.remove();
    },
  };
}

export const ENSEMBLE_STARTERS: Record<SideName, (p: EnsembleBenchParams, profileDir?: string) => Promise<BenchEnsemble>> = {
  zookeeper: zooKeeperEnsemble,
  paddock: paddockEnsemble,
};

/** Every member's mode, in id order. */
export function modes(ens: BenchEnsemble): Promise<string[]> {
  return Promise.all(MEMBER_IDS.map((id) => ens.mode(id)));
}

/** The serving leader's id when exactly one member leads and the others follow, else null. */
function settledLeader(m: readonly string[]): number | null {
  const leaders = MEMBER_IDS.filter((_, i) => m[i] === 'leader');
  return leaders.length === 1 && m.every((x) => x === 'leader' || x === 'follower') ? leaders[0]! : null;
}

/** Waits (polling srvr) until all three serve with one leader; returns the leader's id. */
export async function waitForSettled(ens: BenchEnsemble, timeoutMs: number, pollMs = 50): Promise<number> {
  const until = Date.now() + timeoutMs;
  let last: string[] = [];
  while (Date.now() < until) {
    last = await modes(ens);
    const leader = settledLeader(last);
    if (leader !== null) return leader;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`${ens.side} ensemble: not all three serving with one leader within ${timeoutMs} ms (modes ${last.join(', ')})`);
}
