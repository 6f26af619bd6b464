import type { FourLetterWord } from '@paddock/coord-protocol';
import type { ResolvedOptions } from '../config/options.js';
import type { Pipeline } from '../pipeline/build-pipeline.js';
import type { ServerConnection } from './server-connection.js';

/** What the four-letter words report on. */
export interface ServerView {
  readonly options: ResolvedOptions;
  readonly pipeline: Pipeline;
  readonly connections: ReadonlySet<ServerConnection>;
  readonly version: string;
  resetCounters(): void;
}

const hex = (n: number | bigint): string => `0x${(typeof n === 'bigint' ? BigInt.asUintN(64, n) : n).toString(16)}`;

function connectionLine(c: ServerConnection): string {
  const sid = c.session ? hex(c.session.id) : '0x0';
  return ` /${c.remoteAddress}:${c.remotePort}[1](queued=0,recved=${c.received},sent=${c.sent},sid=${sid})`;
}

function srvr(v: ServerView): string {
  const p = v.pipeline;
  return [
    `Zookeeper version: ${v.version}`,
    'Latency min/avg/max: 0/0.0/0',
    `Received: ${p.counters.received}`,
    `Sent: ${p.counters.sent}`,
    `Connections: ${v.connections.size}`,
    'Outstanding: 0',
    `Zxid: ${hex(p.zxid)}`,
    'Mode: standalone',
    `Node count: ${p.tree.size}`,
  ].join('\n') + '\n';
}

function mntr(v: ServerView): string {
  const p = v.pipeline;
  let ephemerals = 0;
  for (const set of p.tree.allEphemerals().values()) ephemerals += set.size;
  const rows: [string, string | number][] = [
    ['zk_version', v.version],
    ['zk_server_state', 'standalone'],
    ['zk_avg_latency', 0],
    ['zk_max_latency', 0],
    ['zk_min_latency', 0],
    ['zk_packets_received', p.counters.received],
    ['zk_packets_sent', p.counters.sent],
    ['zk_num_alive_connections', v.connections.size],
    ['zk_outstanding_requests', 0],
    ['zk_znode_count', p.tree.size],
    ['zk_watch_count', p.dataWatches.watchCount + p.childWatches.watchCount],
    ['zk_ephemerals_count', ephemerals],
    ['zk_global_sessions', p.sessions.size],
    ['zk_last_zxid', hex(p.zxid)],
  ];
  return rows.map(([k, val]) => `${k}\t${val}`).join('\n') + '\n';
}

function wchs(v: ServerView): string {
  const p = v.pipeline;
  const watchers = new Set<unknown>();
  for (const c of v.connections) if (p.dataWatches.pathsOf(c).size + p.childWatches.pathsOf(c).size > 0) watchers.add(c);
  const paths = new Set([...p.dataWatches.allPaths(), ...p.childWatches.allPaths()]);
  return `${watchers.size} connections watching ${paths.size} paths\nTotal watches:${p.dataWatches.watchCount + p.childWatches.watchCount}\n`;
}

function wchc(v: ServerView): string {
  const p = v.pipeline;
  const out: string[] = [];
  for (const c of v.connections) {
    const paths = new Set([...p.dataWatches.pathsOf(c), ...p.childWatches.pathsOf(c)]);
    if (paths.size === 0 || !c.session) continue;
    out.push(hex(c.session.id), ...[...paths].map((x) => `\t${x}`));
  }
  return out.join('\n') + '\n';
}

function wchp(v: ServerView): string {
  const p = v.pipeline;
  const out: string[] = [];
  for (const path of new Set([...p.dataWatches.allPaths(), ...p.childWatches.allPaths()])) {
    const ids = new Set<string>();
    for (const w of [...p.dataWatches.watchersOf(path), ...p.childWatches.watchersOf(path)]) {
      const s = (w as ServerConnection).session;
      if (s) ids.add(hex(s.id));
    }
    out.push(path, ...[...ids].map((x) => `\t${x}`));
  }
  return out.join('\n') + '\n';
}

function dump(v: ServerView): string {
  const p = v.pipeline;
  const out = ['SessionTracker dump:', `Session Sets (${p.sessions.size}):`];
  for (const s of p.sessions.all()) out.push(`${hex(s.id)}\t${s.timeout}ms`);
  out.push('ephemeral nodes dump:', `Sessions with Ephemerals (${p.tree.allEphemerals().size}):`);
  for (const [sid, paths] of p.tree.allEphemerals()) out.push(`${hex(sid)}:`, ...[...paths].map((x) => `\t${x}`));
  return out.join('\n') + '\n';
}

function conf(v: ServerView): string {
  const o = v.options;
  return [
    `clientPort=${o.port}`, `clientPortAddress=${o.host}`, `dataDir=${o.dataDir}`, `tickTime=${o.tickTime}`,
    `minSessionTimeout=${o.minSessionTimeout}`, `maxSessionTimeout=${o.maxSessionTimeout}`, `serverId=${o.serverId}`,
    `jute.maxbuffer=${o.maxBuffer}`,
  ].join('\n') + '\n';
}

function envi(v: ServerView): string {
  return [
    'Environment:', `zookeeper.version=${v.version}`, `host.name=${process.env.HOSTNAME ?? 'localhost'}`,
    `node.version=${process.version}`, `os.name=${process.platform}`, `os.arch=${process.arch}`,
    `user.dir=${process.cwd()}`, `pid=${process.pid}`,
  ].join('\n') + '\n';
}

function cons(v: ServerView): string {
  return [...v.connections].map(connectionLine).join('\n') + '\n';
}

const HANDLERS: Record<FourLetterWord, (v: ServerView) => string> = {
  ruok: () => 'imok',
  isro: () => 'rw',
  srvr,
  stat: (v) => {
    const [first, ...rest] = srvr(v).split('\n');
    return [first, 'Clients:', cons(v), ...rest].join('\n');
  },
  mntr,
  conf,
  envi,
  cons,
  crst: (v) => { v.resetCounters(); return 'Connection stats reset.\n'; },
  srst: (v) => { v.resetCounters(); return 'Server stats reset.\n'; },
  dump,
  wchs,
  wchc,
  wchp,
  dirs: () => 'datadir_size: 0\nlogdir_size: 0\n',
  gtmk: () => '0',
  stmk: () => '0',
  hash: () => '',
};

export function answerFourLetterWord(word: FourLetterWord, view: ServerView): string {
  return HANDLERS[word](view);
}
