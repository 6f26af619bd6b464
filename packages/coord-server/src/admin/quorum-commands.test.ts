import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@paddock/edges';
import { afterAll, describe, expect, it } from 'vitest';
import { findCommand, runCommand } from './command-table.js';
import { answerFourLetterWord } from './four-letter-words.js';
import type { ServerStats } from './server-stats.js';
import { LearnerCounters } from '../quorum/zab/leader.js';
import { fakeQuorum, statsFor } from './testing/fake-quorum.js';

/**
 * mntr and the admin commands of an ensemble member, against what a real ZooKeeper 3.8.0
 * ensemble answered (Debian's; 2 voters + 1 observer on loopback, server 2 leading, started by
 * test/ensemble/support/zk-ensemble.ts with its AdminServer on; then the leader killed).
 */

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
function stats(q: Parameters<typeof fakeQuorum>[0]): ServerStats {
  const d = mkdtempSync(join(tmpdir(), 'paddock-quorum-cmds-'));
  dirs.push(d);
  return statsFor(fakeQuorum(q), d);
}

const LEARNERS = [
  { id: 1, observer: false, synced: true, address: '127.0.0.1:46712' },
  { id: 3, observer: true, synced: true, address: '127.0.0.1:40126' },
];
const leader = () => stats({ myid: 2, role: 'leading', learners: LEARNERS });
const follower = () => stats({ myid: 1, role: 'following' });
const observer = () => stats({ myid: 3, role: 'observing' });

const run = (name: string, s: ServerStats, query: Record<string, string> = {}): Record<string, unknown> =>
  runCommand(findCommand(name)!, s, query);

/** ZooKeeper's mntr keys in its order, up to snap_count, as each role printed them (the ones we print or must). */
/**
 * ZooKeeper's summaries that we keep, in its mntr order (each summary's avg, min, max, cnt,
 * sum, then p50..p999 for the advanced ones). The keys from watch_bytes on were read from a
 * standalone ZooKeeper 3.8's mntr (test/ops/four-letter-words-vs-zookeeper checks that order
 * live): its metrics map has the same capacity on every role, so the order carries over.
 */
const ADVANCED = new Set(['updatelatency', 'readlatency']);
const SUMMARY_KEYS = ['fsynctime', 'snapshottime', 'dbinittime', 'election_time', 'updatelatency', 'readlatency'].flatMap((n) => [
  ...['avg', 'min', 'max', 'cnt', 'sum'].map((p) => `${p}_${n}`),
  ...(ADVANCED.has(n) ? ['p50', 'p95', 'p99', 'p999'].map((p) => `${p}_${n}`) : []),
]);
/** ServerMetrics' counters that we keep, in ZooKeeper's order, from connection_rejected on. */
const COUNTER_KEYS = ['connection_rejected', 'looking_count', 'learner_proposal_received_count', 'digest_mismatches_count',
  'bytes_received_count', 'learner_commit_received_count', 'connection_request_count', 'response_bytes', 'diff_count',
  'snap_count', 'commit_count'];

const ZK_MNTR_KEYS = {
  leader: ['version', 'server_state', 'peer_state', 'ephemerals_count', 'num_alive_connections', 'avg_latency',
    'min_proposal_size', 'outstanding_requests', 'znode_count', 'global_sessions', 'non_mtls_remote_conn_count',
    'last_client_response_size', 'packets_sent', 'packets_received', 'max_proposal_size', 'max_client_response_size',
    'synced_followers', 'connection_drop_probability', 'watch_count', 'synced_non_voting_followers', 'synced_observers',
    'auth_failed_count', 'min_latency', 'max_file_descriptor_count', 'approximate_data_size', 'open_file_descriptor_count',
    'last_proposal_size', 'pending_syncs', 'leader_uptime', 'local_sessions', 'uptime', 'max_latency',
    'outstanding_tls_handshake', 'learners', 'min_client_response_size', 'non_mtls_local_conn_count', 'quorum_size',
    'proposal_count', 'watch_bytes', 'outstanding_changes_removed', 'throttled_ops', 'stale_requests_dropped',
    'large_requests_rejected', 'insecure_admin_count', ...COUNTER_KEYS, ...SUMMARY_KEYS],
  follower: ['version', 'server_state', 'peer_state', 'ephemerals_count', 'num_alive_connections', 'avg_latency',
    'outstanding_requests', 'znode_count', 'global_sessions', 'non_mtls_remote_conn_count', 'last_client_response_size',
    'packets_sent', 'packets_received', 'max_client_response_size', 'connection_drop_probability', 'watch_count',
    'auth_failed_count', 'min_latency', 'max_file_descriptor_count', 'approximate_data_size', 'open_file_descriptor_count',
    'local_sessions', 'uptime', 'max_latency', 'outstanding_tls_handshake', 'min_client_response_size',
    'non_mtls_local_conn_count', 'quorum_size', 'proposal_count', 'watch_bytes', ...COUNTER_KEYS, ...SUMMARY_KEYS],
  observer: ['version', 'server_state', 'peer_state', 'observer_master_id', 'ephemerals_count', 'num_alive_connections',
    'avg_latency', 'outstanding_requests', 'znode_count', 'global_sessions', 'non_mtls_remote_conn_count',
    'last_client_response_size', 'packets_sent', 'packets_received', 'max_client_response_size',
    'connection_drop_probability', 'watch_count', 'auth_failed_count', 'min_latency', 'max_file_descriptor_count',
    'approximate_data_size', 'open_file_descriptor_count', 'local_sessions', 'uptime', 'max_latency',
    'outstanding_tls_handshake', 'min_client_response_size', 'non_mtls_local_conn_count', 'quorum_size',
    'proposal_count', 'watch_bytes', ...COUNTER_KEYS, ...SUMMARY_KEYS],
};

function mntr(s: ServerStats): Map<string, string> {
  const text = answerFourLetterWord('mntr', s);
  return new Map(text.trimEnd().split('\n').map((l) => l.split('\t') as [string, string]).map(([k, v]) => [k.slice(3), v]));
}

describe('mntr of an ensemble member', () => {
  it.each([['leader', leader], ['follower', follower], ['observer', observer]] as const)(
    '%s: ZooKeeper\'s keys in ZooKeeper\'s order (the ones we measure)', (role, make) => {
      const ours = [...mntr(make()).keys()];
      const zk = ZK_MNTR_KEYS[role].filter((k) => ours.includes(k));
      expect(ours).toEqual(zk);
      // Everything ZooKeeper prints for the role that is about the ensemble, we print.
      const ensembleKeys = ['server_state', 'peer_state', 'observer_master_id', 'min_proposal_size', 'max_proposal_size',
        'synced_followers', 'synced_non_voting_followers', 'synced_observers', 'last_proposal_size', 'pending_syncs',
        'learners', 'quorum_size', 'leader_uptime', 'digest_mismatches_count'];
      expect(ensembleKeys.filter((k) => ZK_MNTR_KEYS[role].includes(k) && !ours.includes(k))).toEqual([]);
    });

  it('the leader: leading - broadcast, its learners, synced followers and observers, proposal sizes, pending syncs', () => {
    const s = stats({
      myid: 2, role: 'leading', pendingSyncs: 3, proposalSizes: { last: 120, min: 36, max: 4096 },
      learners: [...LEARNERS, { id: 4, observer: false, synced: false, address: '127.0.0.1:40000' }],
    });
    const m = mntr(s);
    expect(Object.fromEntries(['server_state', 'peer_state', 'min_proposal_size', 'max_proposal_size', 'synced_followers',
      'synced_non_voting_followers', 'synced_observers', 'last_proposal_size', 'pending_syncs', 'learners', 'quorum_size']
      .map((k) => [k, m.get(k)]))).toEqual({
      server_state: 'leader', peer_state: 'leading - broadcast', min_proposal_size: '36', max_proposal_size: '4096',
      synced_followers: '1', synced_non_voting_followers: '0', synced_observers: '1', last_proposal_size: '120',
      pending_syncs: '3', learners: '3', quorum_size: '2',
    });
  });

  it('captured values: a follower "following - broadcast", an observer its leader as master, quorum_size 2', () => {
    const f = mntr(follower());
    expect([f.get('server_state'), f.get('peer_state'), f.get('quorum_size')]).toEqual(['follower', 'following - broadcast', '2']);
    const o = mntr(observer());
    expect([o.get('server_state'), o.get('peer_state'), o.get('observer_master_id'), o.get('quorum_size')])
      .toEqual(['observer', 'observing - broadcast', '2', '2']);
  });

  it('peer_state names the phase a syncing learner is in', () => {
    const s = stats({ myid: 1, role: 'following', phase: 'synchronization' });
    expect(mntr(s).get('peer_state')).toBe('following - synchronization');
  });

  it('leader_uptime: on the leader only, ms since it started serving; digest_mismatches_count: every role, zeroed by srst', () => {
    const s = leader();
    (s.clock as ManualClock).advance(1234);
    expect(mntr(s).get('leader_uptime')).toBe('1234');
    for (const other of [follower(), observer()]) expect(mntr(other).has('leader_uptime')).toBe(false);
    const f = follower();
    expect(mntr(f).get('digest_mismatches_count')).toBe('0');
    f.digestMismatches = 3;
    expect(mntr(f).get('digest_mismatches_count')).toBe('3');
    expect(answerFourLetterWord('srst', f)).toBe('Server stats reset.\n');
    expect(mntr(f).get('digest_mismatches_count')).toBe('0');
  });

  it('monitor (JSON) carries the same keys and values', () => {
    const m = run('monitor', leader());
    expect(m).toMatchObject({ server_state: 'leader', peer_state: 'leading - broadcast', synced_followers: 1, learners: 2, quorum_size: 2 });
  });
});

describe('admin commands of an ensemble member', () => {
  it('leader: is_leader, leader_id and leader_ip on each role (captured)', () => {
    expect(run('leader', leader())).toEqual({ is_leader: true, leader_id: 2, leader_ip: '127.0.0.1', command: 'leader', error: null });
    expect(run('lead', follower())).toEqual({ is_leader: false, leader_id: 2, leader_ip: '127.0.0.1', command: 'leader', error: null });
    expect(run('leader', observer())).toEqual({ is_leader: false, leader_id: 2, leader_ip: '127.0.0.1', command: 'leader', error: null });
  });

  it('voting_view: the voters, their addresses, the own client address only (captured on server 1)', () => {
    expect(run('voting_view', follower())).toEqual({
      current_config: {
        1: { server_addresses: ['127.0.0.1:36095'], election_addresses: ['127.0.0.1:39335'], client_address: '127.0.0.1:42483', learner_type: 'participant' },
        2: { server_addresses: ['127.0.0.1:37429'], election_addresses: ['127.0.0.1:38635'], client_address: '', learner_type: 'participant' },
      },
      command: 'voting_view', error: null,
    });
    expect(Object.keys((run('voting_view', observer()).current_config as object))).toEqual(['1', '2']);
  });

  it('zabstate: myid, leadership, addresses, voting, the last zxid split into epoch and counter (captured on the leader)', () => {
    const s = leader();
    const quorum = {
      empty: false, all_addresses: ['127.0.0.1:37429'], all_reachable_addresses: ['127.0.0.1:37429'], one: '127.0.0.1:37429',
      reachable_address: '127.0.0.1:37429', wildcard_addresses: ['0.0.0.0:37429'], all_ports: [37429],
      all_host_strings: ['127.0.0.1'], all_reachable_addresses_or_all: ['127.0.0.1:37429'], reachable_or_one: '127.0.0.1:37429',
    };
    const r = run('zabstate', s);
    expect(Object.keys(r)).toEqual(['myid', 'is_leader', 'quorum_address', 'election_address', 'client_address', 'voting',
      'last_zxid', 'zab_epoch', 'zab_counter', 'zabstate', 'command', 'error']);
    expect(r).toMatchObject({
      myid: 2, is_leader: true, quorum_address: quorum, client_address: '127.0.0.1:41469', voting: true,
      last_zxid: '0x0', zab_epoch: 0, zab_counter: 0, zabstate: 'broadcast', error: null,
    });
    expect((r.election_address as { all_addresses: string[] }).all_addresses).toEqual(['127.0.0.1:38635']);
    expect(run('zabstate', observer())).toMatchObject({ myid: 3, is_leader: false, voting: false, zabstate: 'broadcast' });
  });

  it('observers: the leader lists its synced observers with their handler counters; others have none (captured)', () => {
    const counters = new LearnerCounters(250);
    Object.assign(counters, { packetsSent: 8, packetsReceived: 3, requests: 1, lastZxid: 0x100000003 });
    const s = stats({ myid: 2, role: 'leading', learners: [LEARNERS[0]!, { ...LEARNERS[1]!, counters, queued: { packets: 1, bytes: 48 } }] });
    // Captured from ZooKeeper 3.8.0's leader (established is wall-clock ms; these counts are ours).
    expect(run('observers', s)).toEqual({
      synced_observers: 1,
      observers: [{
        remote_socket_address: '/127.0.0.1:40126', sid: 3, established: s.wallTimeOf(250), queued_packets: 1,
        queued_packets_size: 48, packets_received: 3, packets_sent: 8, requests: 1, last_zxid: 4294967299,
      }],
      command: 'observers', error: null,
    });
    expect(run('obsr', follower())).toEqual({ synced_observers: 0, observers: [], command: 'observers', error: null });
    // orst zeroes the observers' counters (ZooKeeper's resetObserverConnectionStats), not the followers'.
    expect(run('orst', s)).toEqual({ command: 'observer_connection_stat_reset', error: null });
    expect((run('observers', s).observers as Record<string, unknown>[])[0]).toMatchObject({ packets_received: 0, packets_sent: 0, requests: 0, last_zxid: -1 });
  });

  it('is_read_only false, server_state in server_stats, proposal_stats on the leader only, no initial configuration', () => {
    for (const s of [leader(), follower(), observer()]) expect(run('is_read_only', s)).toMatchObject({ read_only: false, error: null });
    const l = run('server_stats', leader());
    expect(l.server_stats).toMatchObject({ server_state: 'leader' });
    expect(l.proposal_stats).toEqual({ last_buffer_size: -1, min_buffer_size: -1, max_buffer_size: -1 });
    expect(Object.keys(l).slice(-5)).toEqual(['client_response', 'proposal_stats', 'node_count', 'command', 'error']);
    const f = run('stats', follower());
    expect(f.server_stats).toMatchObject({ server_state: 'follower' });
    expect('proposal_stats' in f).toBe(false);
    expect(run('initial_configuration', observer())).toEqual({ initial_configuration: null, command: 'initial_configuration', error: null });
  });

  it('configuration: the standalone fields with the member\'s myid as server_id (captured on the observer)', () => {
    const s = observer();
    expect(run('configuration', s)).toEqual({
      client_port: 37697, data_dir: s.snapDir, data_log_dir: s.logDir, tick_time: 1000, max_client_cnxns: 60,
      min_session_timeout: 2000, max_session_timeout: 20000, server_id: 3, client_port_listen_backlog: -1,
      command: 'configuration', error: null,
    });
  });

  it('not serving: server-bound commands say so; zabstate, environment and trace masks answer (captured while electing)', () => {
    const s = stats({ myid: 1, role: 'looking', phase: 'election', leaderId: null, serving: false });
    const refused = { error: 'This ZooKeeper instance is not currently serving requests' };
    for (const name of ['leader', 'voting_view', 'observers', 'is_read_only', 'server_stats', 'stats', 'configuration',
      'connections', 'dirs', 'dump', 'hash', 'initial_configuration', 'last_snapshot', 'ruok', 'watch_summary', 'watches',
      'watches_by_path', 'monitor']) {
      expect(run(name, s), name).toEqual({ ...refused, command: name });
    }
    expect(run('zabstate', s)).toEqual({ voting: false, zabstate: '', command: 'zabstate', error: null });
    expect(run('get_trace_mask', s)).toEqual({ tracemask: 306, command: 'get_trace_mask', error: null });
    expect(run('environment', s).error).toBeNull();
  });

  it('standalone answers stay as they were', () => {
    const d = mkdtempSync(join(tmpdir(), 'paddock-quorum-cmds-'));
    dirs.push(d);
    const s = statsFor(undefined, d);
    expect(run('leader', s)).toEqual({ error: 'server is not initialized', command: 'leader' });
    expect(run('voting_view', s)).toEqual({ current_config: {}, command: 'voting_view', error: null });
    expect(run('zabstate', s)).toEqual({ voting: false, zabstate: '', command: 'zabstate', error: null });
    expect(run('observers', s)).toEqual({ synced_observers: 0, observers: [], command: 'observers', error: null });
    expect(run('server_stats', s).server_stats).toMatchObject({ server_state: 'standalone' });
    expect(typeof run('initial_configuration', s).initial_configuration).toBe('string');
    expect(mntr(s).get('server_state')).toBe('standalone');
    expect(mntr(s).has('peer_state')).toBe(false);
  });
});
