import { delimitedHost } from '../quorum/config/java-host.js';
import { addressesInJavaOrder, type QuorumAddress, type QuorumServerSpec } from '../quorum/config/server-spec.js';
import type { PeerRole, QuorumStatus } from '../quorum/peer/quorum-status.js';
import { counterOf, epochOf } from '../quorum/zxid.js';
import { hex64 } from './java-format.js';

/**
 * What an ensemble member's operations output says of its place in the ensemble, as ZooKeeper
 * 3.8's four-letter words and admin commands say it, computed from the peer's QuorumStatus.
 * A standalone server has no QuorumStatus; these views are not asked of it.
 */

/** ZooKeeper's answer to most words and commands while the peer is not serving (electing, syncing). */
export const NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';

/** ServerStats.getServerState of ZooKeeper's leader, follower and observer servers (`Mode:`). */
const MODE: Readonly<Record<PeerRole, string>> = {
  leading: 'leader', following: 'follower', observing: 'observer', looking: 'looking',
};

export function serverMode(q: QuorumStatus | undefined): string {
  return q ? MODE[q.role] : 'standalone';
}

/**
 * QuorumPeer.getDetailedPeerState: "following - broadcast", the phase left out while electing.
 * ZooKeeper appends a learner's sync mode (" - diff", " - snap", " - trunc") from its sync's
 * first packet until NEWLEADER, so while it serves (when mntr answers) the mode is gone and
 * every role reads "<role> - broadcast", as ours do. One ZooKeeper quirk we leave out: the mode
 * is not cleared when a sync breaks before NEWLEADER, and a server that then leads never sets
 * it, so its mntr says "leading - broadcast - diff" for that whole term.
 */
export function peerState(q: QuorumStatus): string {
  return q.phase === 'election' ? q.role : `${q.role} - ${q.phase}`;
}

/** The leader's learner gauges (zk_learners, zk_synced_*): ZooKeeper counts learner handlers. */
export function learnerCounts(q: QuorumStatus): {
  learners: number; syncedFollowers: number; syncedNonVoting: number; syncedObservers: number;
} {
  const all = q.role === 'leading' ? q.learners() : [];
  const voters = q.config.verifier.voters;
  const followers = all.filter((l) => l.synced && !l.observer);
  return {
    learners: all.length,
    syncedFollowers: followers.length,
    syncedNonVoting: followers.filter((l) => !voters.has(l.id)).length,
    syncedObservers: all.filter((l) => l.synced && l.observer).length,
  };
}

/** InetSocketAddress as ZooKeeper's views print it: host (IPv6 in brackets) and port. */
const hostPort = (host: string, port: number): string => `${delimitedHost(host)}:${port}`;

/**
 * MultipleAddresses.getAllPorts and getAllHostStrings: each value once. ZooKeeper walks its
 * addresses in a hash set's order; with several addresses (multiAddress) we give them sorted by
 * host, as the config text lists them, which may differ from ZooKeeper's order.
 */
const distinct = <T>(values: readonly T[]): T[] => [...new Set(values)];
const quorumPorts = (s: QuorumServerSpec): number[] => distinct(addressesInJavaOrder(s).map((a) => a.quorumPort));
const electionPorts = (s: QuorumServerSpec): number[] => distinct(addressesInJavaOrder(s).map((a) => a.electionPort));

/** QuorumZooKeeperServer.dumpConf: the lines `conf` adds after the standalone ones, ending without a newline. */
export function quorumConf(q: QuorumStatus): string {
  const c = q.config;
  return [
    `initLimit=${c.initLimit}`, `syncLimit=${c.syncLimit}`,
    // Fast leader election is the only algorithm ZooKeeper 3.8 (and we) accept.
    'electionAlg=3',
    `electionPort=${electionPorts(c.self).join('|')}`,
    `quorumPort=${quorumPorts(c.self).join('|')}`,
    // LearnerType's ordinal: PARTICIPANT 0, OBSERVER 1.
    `peerType=${c.role === 'observer' ? 1 : 0}`,
    'membership: ',
    c.verifier.text,
  ].join('\n');
}

/** A server's client address as ZooKeeper knows it: its own from clientPort, others' from their line. */
function clientAddressOf(q: QuorumStatus, s: QuorumServerSpec): string {
  const client = s.id === q.config.myid ? q.config.client ?? s.client : s.client;
  return client ? hostPort(client.host, client.port) : '';
}

/** `voting_view`: each voter's addresses, keyed by id in ZooKeeper's map order. */
export function votingView(q: QuorumStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of q.config.verifier.servers) {
    if (!q.config.verifier.voters.has(s.id)) continue;
    const addrs = addressesInJavaOrder(s);
    out[String(s.id)] = {
      server_addresses: addrs.map((a) => hostPort(a.host, a.quorumPort)),
      election_addresses: addrs.map((a) => hostPort(a.host, a.electionPort)),
      client_address: clientAddressOf(q, s),
      learner_type: s.role,
    };
  }
  return out;
}

/**
 * MultipleAddresses as ZooKeeper's JSON shows it. Reachability is ZooKeeper's ICMP probe; we
 * do not probe, so every address counts as reachable and the first is the one chosen.
 */
function multipleAddresses(addrs: readonly QuorumAddress[], port: (a: QuorumAddress) => number): Record<string, unknown> {
  const all = addrs.map((a) => hostPort(a.host, port(a)));
  return {
    empty: all.length === 0,
    all_addresses: all,
    all_reachable_addresses: all,
    one: all[0],
    reachable_address: all[0],
    wildcard_addresses: addrs.map((a) => `0.0.0.0:${port(a)}`),
    all_ports: distinct(addrs.map(port)),
    all_host_strings: distinct(addrs.map((a) => a.host)),
    all_reachable_addresses_or_all: all,
    reachable_or_one: all[0],
  };
}

/** `zabstate` of a serving peer; `lastZxid` is the tree's last processed zxid. */
export function zabState(q: QuorumStatus, lastZxid: number): Record<string, unknown> {
  const c = q.config;
  const addrs = addressesInJavaOrder(c.self);
  return {
    myid: c.myid,
    is_leader: q.role === 'leading',
    quorum_address: multipleAddresses(addrs, (a) => a.quorumPort),
    election_address: multipleAddresses(addrs, (a) => a.electionPort),
    client_address: c.client ? hostPort(c.client.host, c.client.port) : '',
    voting: c.verifier.voters.has(c.myid),
    last_zxid: `0x${hex64(lastZxid)}`,
    zab_epoch: epochOf(lastZxid),
    zab_counter: counterOf(lastZxid),
    zabstate: q.phase,
  };
}

/** `leader`: leader_ip is the leader's quorum hosts joined by |, as QuorumPeer keeps it. */
export function leaderView(q: QuorumStatus): Record<string, unknown> {
  const leader = q.leaderId === null ? undefined : q.config.verifier.server(q.leaderId);
  return {
    is_leader: q.role === 'leading',
    leader_id: q.leaderId ?? -1,
    leader_ip: leader ? distinct(addressesInJavaOrder(leader).map((a) => a.host)).join('|') : '',
  };
}

/**
 * `observers`: on the leader its synced observers, each with what ZooKeeper's LearnerHandler
 * reports (getLearnerHandlerInfo, in its order): `established` in wall-clock ms, the packets
 * queued for it, the packets counted each way, its forwarded requests and the last zxid sent.
 * `wallTime` turns the monotonic connection time into wall-clock ms.
 */
export function observersView(q: QuorumStatus, wallTime: (monotonicMs: number) => number): Record<string, unknown> {
  const synced = q.role === 'leading' ? q.learners().filter((l) => l.observer && l.synced) : [];
  return {
    synced_observers: synced.length,
    observers: synced.map((l) => ({
      remote_socket_address: `/${l.address}`,
      sid: l.id,
      established: wallTime(l.counters.connectedAt),
      queued_packets: l.queued.packets,
      queued_packets_size: l.queued.bytes,
      packets_received: l.counters.packetsReceived,
      packets_sent: l.counters.packetsSent,
      requests: l.counters.requests,
      last_zxid: l.counters.lastZxid,
    })),
  };
}

/** `orst` on the leader: its observers' counters start again (ZooKeeper's resetObserverConnectionStats). */
export function resetObserverCounters(q: QuorumStatus): void {
  if (q.role !== 'leading') return;
  for (const l of q.learners()) if (l.observer) l.counters.reset();
}
