import type { FourLetterWord } from '@paddock/coord-protocol';
import { environment } from './environment.js';
import { hex64, javaDate, javaDouble } from './java-format.js';
import { monitorText, monitorValues } from './monitor-table.js';
import { NOT_SERVING, quorumConf } from './quorum-view.js';
import type { ServerStats } from './server-stats.js';
import type { ServerConnection } from '../net/server-connection.js';

/**
 * The four-letter words, laid out line by line as ZooKeeper 3.8 prints them. The numbers come
 * from ServerStats, the same source as the admin commands and /metrics.
 */

const lines = (rows: readonly string[]): string => rows.map((r) => `${r}\n`).join('');

/** ServerCnxn#dumpConnectionInfo: the brief form (stat) stops after sent=. */
function connectionLine(s: ServerStats, c: ServerConnection, brief: boolean): string {
  const i = s.connectionInfo(c, brief);
  let out = ` /${i.remote_socket_address}[${i.interest_ops}](queued=${i.outstanding_requests},recved=${i.packets_received},sent=${i.packets_sent}`;
  if (!brief && i.session_id) {
    out += `,sid=0x${hex64(i.session_id)},lop=${i.last_operation},est=${i.established},to=${i.session_timeout}`;
    if (i.last_cxid! >= 0) out += `,lcxid=0x${hex64(i.last_cxid!)}`;
    out += `,lzxid=0x${hex64(i.last_zxid!)},lresp=${i.last_response_time},llat=${i.last_latency}`;
    out += `,minlat=${i.min_latency},avglat=${i.avg_latency},maxlat=${i.max_latency}`;
  }
  return `${out})`;
}

function srvrRows(s: ServerStats): string[] {
  const p = s.pipeline;
  const l = p.stats.latency;
  return [
    `Latency min/avg/max: ${l.min}/${javaDouble(l.avg)}/${l.max}`,
    `Received: ${p.counters.received}`,
    `Sent: ${p.counters.sent}`,
    `Connections: ${s.host.connections.size}`,
    `Outstanding: ${p.stats.outstanding}`,
    `Zxid: 0x${hex64(p.zxid)}`,
    `Mode: ${s.serverState}`,
    `Node count: ${p.tree.size}`,
    // BufferStats.toString: last/min/max, -1 before the first proposal.
    ...proposalRow(s),
  ];
}

function proposalRow(s: ServerStats): string[] {
  const p = s.proposalStats();
  return p ? [`Proposal sizes last/min/max: ${p.last_buffer_size}/${p.min_buffer_size}/${p.max_buffer_size}`] : [];
}

function stat(s: ServerStats): string {
  const clients = s.connections().map((c) => connectionLine(s, c, true));
  return lines([`Zookeeper version: ${s.host.version}`, 'Clients:', ...clients, '', ...srvrRows(s)]);
}

function mntr(s: ServerStats): string {
  return lines(monitorValues(s).map(({ row, value }) => `zk_${row.key}\t${monitorText(row, value)}`));
}

function conf(s: ServerStats): string {
  const o = s.host.options;
  const dirs = s.dirSizes();
  // An ensemble member adds its quorum settings and the config text, which ends without a newline.
  const quorum = s.quorum ? quorumConf(s.quorum) : '';
  return lines([
    `clientPort=${s.host.port}`, 'secureClientPort=-1',
    `dataDir=${s.snapDir}`, `dataDirSize=${dirs.datadir_size}`,
    `dataLogDir=${s.logDir}`, `dataLogSize=${dirs.logdir_size}`,
    `tickTime=${o.tickTime}`, `maxClientCnxns=${o.maxClientCnxns}`,
    `minSessionTimeout=${o.minSessionTimeout}`, `maxSessionTimeout=${o.maxSessionTimeout}`,
    'clientPortListenBacklog=-1', `serverId=${s.serverId}`,
  ]) + quorum;
}

/** ExpiryQueue#dump: "Sets (buckets)/(members):", then each bucket with its due time. */
function expirySets<T>(buckets: [number, T[]][], item: (t: T) => string): string[] {
  const members = buckets.reduce((n, [, list]) => n + list.length, 0);
  const out = [`Sets (${buckets.length})/(${members}):`];
  for (const [at, list] of buckets) out.push(`${list.length} expire at ${javaDate(at)}:`, ...list.map((t) => `\t${item(t)}`));
  return out;
}

function dump(s: ServerStats): string {
  const sessions = s.sessionsByExpiry().map(([at, ids]): [number, bigint[]] => [s.wallTimeOf(at), ids]);
  const ephemerals = s.pipeline.tree.allEphemerals();
  const out = ['SessionTracker dump:', ...expirySets(sessions, (id) => `0x${hex64(id)}`).map((l, i) => (i === 0 ? `Session ${l}` : l))];
  out.push('ephemeral nodes dump:', `Sessions with Ephemerals (${ephemerals.size}):`);
  for (const [sid, paths] of ephemerals) out.push(`0x${hex64(sid)}:`, ...[...paths].map((p) => `\t${p}`));
  out.push('Connections dump:');
  const conns = expirySets(s.connectionsByExpiry(), (c) => `ip: /${c.remoteAddress}:${c.remotePort} sessionId: 0x${hex64(c.session?.id ?? 0n)}`);
  out.push(...conns.map((l, i) => (i === 0 ? `Connections ${l}` : l)));
  return lines(out);
}

function wchs(s: ServerStats): string {
  const w = s.watchSummary();
  return lines([`${w.num_connections} connections watching ${w.num_paths} paths`, `Total watches:${w.num_total_watches}`]);
}

function wchc(s: ServerStats): string {
  const out: string[] = [];
  for (const [sid, paths] of s.watchesBySession()) out.push(`0x${hex64(sid)}`, ...paths.map((p) => `\t${p}`));
  return lines([...out, '']);
}

function wchp(s: ServerStats): string {
  const out: string[] = [];
  for (const [path, ids] of s.watchesByPath()) out.push(path, ...ids.map((id) => `\t0x${hex64(id)}`));
  return lines([...out, '']);
}

const HANDLERS: Record<FourLetterWord, (s: ServerStats) => string> = {
  ruok: () => 'imok',
  isro: () => 'rw',
  srvr: (s) => lines([`Zookeeper version: ${s.host.version}`, ...srvrRows(s)]),
  stat,
  mntr,
  conf,
  envi: (s) => lines(['Environment:', ...environment(s.host.version).map(([k, v]) => `${k}=${v}`)]),
  cons: (s) => lines([...s.connections().map((c) => connectionLine(s, c, false)), '']),
  crst: (s) => { s.resetConnections(); return 'Connection stats reset.\n'; },
  srst: (s) => { s.resetServer(); return 'Server stats reset.\n'; },
  dump,
  wchs,
  wchc,
  wchp,
  dirs: (s) => { const d = s.dirSizes(); return lines([`datadir_size: ${d.datadir_size}`, `logdir_size: ${d.logdir_size}`]); },
  gtmk: (s) => String(s.traceMask),
  // stmk carries an 8-byte mask after the word, which the connection does not read: as
  // ZooKeeper does without one, answer nothing.
  stmk: () => '',
  // Digests are off (ZooKeeper's default): hash prints nothing.
  hash: () => '',
};

/** Words ZooKeeper answers while it is not serving (electing or syncing); the rest say NOT_SERVING. */
const WITHOUT_SERVER: ReadonlySet<FourLetterWord> = new Set(['ruok', 'envi', 'gtmk', 'stmk']);
/** The not-serving answers that are not NOT_SERVING with a newline: isro prints Java's null, hash no newline. */
const NOT_SERVING_ANSWER: Partial<Record<FourLetterWord, string>> = { isro: 'null', hash: NOT_SERVING };

export function answerFourLetterWord(word: FourLetterWord, stats: ServerStats): string {
  if (!stats.serving && !WITHOUT_SERVER.has(word)) return NOT_SERVING_ANSWER[word] ?? `${NOT_SERVING}\n`;
  return HANDLERS[word](stats);
}
