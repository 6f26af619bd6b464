import type { FastifyInstance } from 'fastify';
import type { ConsoleContext } from '../context.js';
import type { ServerView } from '../options.js';

/** What the server pages say when the console reaches the service over the client protocol only. */
function unavailable(connectString: string): { available: false; reason: string } {
  return {
    available: false,
    reason: `Server internals are not available: this console reaches ${connectString} over the ZooKeeper client protocol only. `
      + 'Open the console on the coordination server\'s own AdminServer (http://<admin host>:<admin port>/console), '
      + 'or start paddock-console with --admin-url to read an AdminServer\'s commands.',
  };
}

/** The monitor keys the Overview shows, by ZooKeeper's names. */
const OVERVIEW_KEYS = [
  'server_state', 'peer_state', 'version', 'num_alive_connections', 'global_sessions', 'watch_count', 'znode_count',
  'ephemerals_count', 'avg_latency', 'min_latency', 'max_latency', 'packets_received', 'packets_sent', 'outstanding_requests',
  'approximate_data_size', 'quorum_size', 'synced_followers', 'synced_observers',
] as const;

async function commandOrNull(server: ServerView, name: string): Promise<Record<string, unknown> | null> {
  try {
    return await server.command(name);
  } catch {
    return null;
  }
}

/** One ensemble member as the Overview lists it. */
export interface MemberRow {
  readonly id: number;
  /** leader, follower or observer; 'unknown' while no leader is known (an election). */
  readonly role: string;
  readonly client: string;
  readonly quorum: string;
  readonly election: string;
}

/**
 * The ensemble's members with their roles, from `voting_view` (the members and their learner
 * type) and `leader` (who leads, as this server knows it), both ZooKeeper 3.8 admin commands.
 */
export function ensembleMembers(voting: Record<string, unknown> | null, leader: Record<string, unknown> | null): MemberRow[] {
  const config = voting?.current_config;
  if (!config || typeof config !== 'object') return [];
  const leaderId = typeof leader?.leader_id === 'number' && leader.leader_id >= 0 ? leader.leader_id : null;
  const text = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : '');
  return Object.entries(config as Record<string, Record<string, unknown>>).map(([key, m]) => {
    const id = Number(key);
    const role = m.learner_type === 'observer' ? 'observer' : leaderId === null ? 'unknown' : id === leaderId ? 'leader' : 'follower';
    return { id, role, client: text(m.client_address), quorum: text(m.server_addresses), election: text(m.election_addresses) };
  }).sort((a, b) => a.id - b.id);
}

/** The Overview's server numbers: a `monitor` subset, the zxid from `server_stats`, and the ensemble's members. */
export async function overviewSample(server: ServerView): Promise<Record<string, unknown>> {
  const [monitor, stats, voting, leader] = await Promise.all(
    ['monitor', 'server_stats', 'voting_view', 'leader'].map((n) => commandOrNull(server, n)),
  );
  const out: Record<string, unknown> = {};
  for (const k of OVERVIEW_KEYS) if (monitor && monitor[k] !== undefined) out[k] = monitor[k];
  const serverStats = stats?.server_stats as Record<string, unknown> | undefined;
  if (serverStats) out.zxid = serverStats.last_processed_zxid ?? serverStats.zxid;
  const members = ensembleMembers(voting, leader);
  if (members.length > 0) out.members = members;
  out.sampled_at = Date.now();
  return out;
}

export function serverRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { server, connectString } = ctx.opts;
  app.get('/api/overview', async () => {
    const coordination = { connectString, root: ctx.opts.root };
    if (!server) return { coordination, server: unavailable(connectString) };
    return { coordination, server: { available: true, label: server.label, ...(await overviewSample(server)) } };
  });

  /** Connections, sessions with their ephemerals, and the watches each session holds. */
  app.get('/api/sessions', async () => {
    if (!server) return { server: unavailable(connectString) };
    const [connections, dump, watches] = await Promise.all(['connections', 'dump', 'watches'].map((n) => commandOrNull(server, n)));
    return {
      server: { available: true, label: server.label },
      connections: connections?.connections ?? [],
      ephemerals: dump?.session_id_to_ephemeral_paths ?? {},
      watches: watches?.session_id_to_watched_paths ?? {},
    };
  });
}
