import { ManualClock } from '@paddock/edges';
import { resolveOptions } from '../../config/options.js';
import { testPipeline } from '../../pipeline/testing/pipeline-harness.js';
import { parseConfigText } from '../../quorum/config/config-text.js';
import type { QuorumConfig } from '../../quorum/config/quorum-config.js';
import type { LearnerView, PeerRole, QuorumStatus, ZabPhase } from '../../quorum/peer/quorum-status.js';
import { LearnerCounters } from '../../quorum/zab/leader.js';
import { ServerStats } from '../server-stats.js';

/**
 * The ensemble the operations tests answer for: the one a real ZooKeeper 3.8.0 ensemble on
 * loopback had when its answers were captured (2 voters, 1 observer; server 2 led), so the
 * captured texts can be the expected values with only counts and paths filled in.
 */
export const CAPTURED_CONFIG_TEXT = [
  'server.1=127.0.0.1:36095:39335:participant',
  'server.2=127.0.0.1:37429:38635:participant',
  'server.3=127.0.0.1:43117:33957:observer',
  'version=0',
].join('\n');

/** The client ports the three servers had. */
export const CAPTURED_CLIENT_PORTS: Readonly<Record<number, number>> = { 1: 42483, 2: 41469, 3: 37697 };

export interface FakeQuorumOptions {
  readonly myid: number;
  readonly role: PeerRole;
  readonly phase?: ZabPhase;
  readonly leaderId?: number | null;
  readonly serving?: boolean;
  /** Its learners; counters and queue default to a connection that has sent and received nothing. */
  readonly learners?: readonly (Pick<LearnerView, 'id' | 'observer' | 'synced' | 'address'> & Partial<LearnerView>)[];
  readonly pendingSyncs?: number;
  readonly proposalSizes?: { last: number; min: number; max: number };
  readonly configText?: string;
  /** Allow `|` in server lines (ZooKeeper's multiAddress.enabled). */
  readonly multiAddress?: boolean;
  /** This server's client port; default the captured one of its id. */
  readonly clientPort?: number;
}

/** A QuorumStatus with fixed answers, as the peer runtime will report them. */
export function fakeQuorum(o: FakeQuorumOptions): QuorumStatus {
  const verifier = parseConfigText(o.configText ?? CAPTURED_CONFIG_TEXT, o.multiAddress ?? false);
  const self = verifier.server(o.myid);
  if (!self) throw new Error(`fakeQuorum: server ${o.myid} is not in the config`);
  const config: QuorumConfig = {
    verifier, myid: o.myid, self, role: self.role,
    client: { host: '127.0.0.1', port: o.clientPort ?? CAPTURED_CLIENT_PORTS[o.myid] ?? 2181 },
    initLimit: 10, syncLimit: 5, cnxTimeout: 5000, quorumListenOnAllIPs: false, multiAddressEnabled: o.multiAddress ?? false,
  };
  const learners: LearnerView[] = (o.learners ?? []).map((l) => ({ counters: new LearnerCounters(0), queued: { packets: 0, bytes: 0 }, ...l }));
  return {
    config, role: o.role, phase: o.phase ?? 'broadcast', leaderId: o.leaderId === undefined ? 2 : o.leaderId,
    acceptedEpoch: 1, currentEpoch: 1, serving: o.serving ?? true,
    learners: () => learners, pendingSyncs: o.pendingSyncs ?? 0,
    proposalSizes: o.proposalSizes ?? { last: -1, min: -1, max: -1 },
  };
}

/** ServerStats over an in-memory pipeline, for the given quorum status (none: standalone). */
export function statsFor(quorum: QuorumStatus | undefined, dataDir: string): ServerStats {
  const { pipeline } = testPipeline(1000);
  const port = quorum?.config.client?.port ?? 2181;
  const host = {
    // serverId stays 1: an ensemble member reports its myid whatever the option says.
    options: resolveOptions({ dataDir, tickTime: 1000, serverId: 1 }),
    pipeline, persistence: { snapshots: 0 }, connections: new Set<never>(), version: '3.8.0-test', port,
    ...(quorum ? { quorum } : {}),
  };
  return new ServerStats(host, new ManualClock());
}
