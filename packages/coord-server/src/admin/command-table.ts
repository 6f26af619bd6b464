import { environment, initialConfiguration, systemProperties } from './environment.js';
import { monitorValues } from './monitor-table.js';
import { NOT_SERVING, leaderView, observersView, resetObserverCounters, votingView, zabState } from './quorum-view.js';
import type { ServerStats } from './server-stats.js';

/**
 * The AdminServer's commands: ZooKeeper 3.8's names, aliases and JSON fields, answered for a
 * standalone server or an ensemble member in its role. A command returns its fields; the
 * server adds `command` and `error`. A result carrying its own `error` is a failed command,
 * answered as ZooKeeper does (200).
 */
export interface AdminCommand {
  readonly name: string;
  readonly aliases: readonly string[];
  /** ZooKeeper's isServerRequired: refused with NOT_SERVING while an ensemble member is not serving. */
  readonly serverRequired: boolean;
  run(s: ServerStats, query: Readonly<Record<string, string | undefined>>): Record<string, unknown>;
}

const cmd = (name: string, aliases: readonly string[], run: AdminCommand['run'], serverRequired = true): AdminCommand =>
  ({ name, aliases, serverRequired, run });

/** Maps with bigint or string keys become JSON objects keyed by their decimal or text form. */
const objectOf = <K, V>(entries: Iterable<[K, V]>): Record<string, V> => {
  const out: Record<string, V> = {};
  for (const [k, v] of entries) out[String(k)] = v;
  return out;
};

function stats(s: ServerStats, withConnections: boolean): Record<string, unknown> {
  const out = s.serverStats();
  if (!withConnections) return out;
  return { ...out, connections: s.connections().map((c) => s.connectionInfo(c, true)), secure_connections: [] };
}

export const COMMANDS: readonly AdminCommand[] = [
  cmd('configuration', ['conf', 'config'], (s) => {
    const o = s.host.options;
    return {
      client_port: s.host.port, data_dir: s.snapDir, data_log_dir: s.logDir, tick_time: o.tickTime,
      max_client_cnxns: o.maxClientCnxns, min_session_timeout: o.minSessionTimeout,
      max_session_timeout: o.maxSessionTimeout, server_id: s.serverId, client_port_listen_backlog: -1,
    };
  }),
  cmd('connection_stat_reset', ['crst'], (s) => { s.resetConnections(); return {}; }),
  cmd('connections', ['cons'], (s) => ({
    connections: s.connections().map((c) => s.connectionInfo(c, false)), secure_connections: [],
  })),
  cmd('dirs', [], (s) => s.dirSizes()),
  cmd('dump', [], (s) => ({
    expiry_time_to_session_ids: objectOf(s.sessionsByExpiry()),
    session_id_to_ephemeral_paths: objectOf([...s.pipeline.tree.allEphemerals()].map(([sid, paths]) => [sid, [...paths]])),
  })),
  cmd('environment', ['env', 'envi'], (s) => objectOf(environment(s.host.version)), false),
  cmd('get_trace_mask', ['gtmk'], (s) => ({ tracemask: s.traceMask }), false),
  cmd('hash', [], () => ({ digests: [] })),
  // ZooKeeper's quorum peers keep no initial configuration text: null.
  cmd('initial_configuration', ['icfg'], (s) => ({
    initial_configuration: s.quorum ? null : initialConfiguration(s.host.options, s.host.port),
  })),
  cmd('is_read_only', ['isro'], () => ({ read_only: false })),
  cmd('last_snapshot', ['lsnp'], (s) => s.lastSnapshot()),
  // A standalone server has no leader, observers or votes; these are ZooKeeper's answers.
  cmd('leader', ['lead'], (s) => (s.quorum ? leaderView(s.quorum) : { error: 'server is not initialized' })),
  // ZooKeeper needs no server for monitor and fails (HTTP 500, a NullPointerException) while
  // not serving; ours is refused with NOT_SERVING as the other commands are.
  cmd('monitor', ['mntr'], (s) => objectOf(monitorValues(s).map(({ row, value }) => [row.key, value]))),
  cmd('observer_connection_stat_reset', ['orst'], (s) => {
    if (s.quorum) resetObserverCounters(s.quorum);
    return {};
  }),
  cmd('observers', ['obsr'], (s) => (s.quorum ? observersView(s.quorum, (t) => s.wallTimeOf(t)) : { synced_observers: 0, observers: [] })),
  cmd('ruok', [], () => ({})),
  cmd('server_stats', ['srvr'], (s) => stats(s, false)),
  cmd('set_trace_mask', ['stmk'], (s, q) => {
    const mask = q.traceMask;
    if (mask === undefined || !/^-?\d{1,19}$/.test(mask)) return { error: 'setTraceMask requires long traceMask argument' };
    s.traceMask = Number(mask);
    return { tracemask: s.traceMask };
  }, false),
  cmd('stat_reset', ['srst'], (s) => { s.resetServer(); return {}; }),
  cmd('stats', ['stat'], (s) => stats(s, true)),
  cmd('system_properties', ['sysp'], () => systemProperties(), false),
  cmd('voting_view', [], (s) => ({ current_config: s.quorum ? votingView(s.quorum) : {} })),
  cmd('watch_summary', ['wchs'], (s) => s.watchSummary()),
  cmd('watches', ['wchc'], (s) => ({ session_id_to_watched_paths: objectOf(s.watchesBySession()) })),
  cmd('watches_by_path', ['wchp'], (s) => ({ path_to_session_ids: objectOf(s.watchesByPath()) })),
  // Needs no server: a peer that is not serving answers as a standalone one does.
  cmd('zabstate', [], (s) => (s.quorum && s.serving ? zabState(s.quorum, s.pipeline.zxid) : { voting: false, zabstate: '' }), false),
];

const BY_NAME = new Map<string, AdminCommand>();
for (const c of COMMANDS) for (const n of [c.name, ...c.aliases]) BY_NAME.set(n, c);

export function findCommand(name: string): AdminCommand | undefined {
  return BY_NAME.get(name);
}

/** The response body: the command's fields, then `command`, then `error` (null on success). */
export function runCommand(c: AdminCommand, s: ServerStats, query: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const fields = c.serverRequired && !s.serving ? { error: NOT_SERVING } : c.run(s, query);
  return 'error' in fields ? { ...fields, command: c.name } : { ...fields, command: c.name, error: null };
}
