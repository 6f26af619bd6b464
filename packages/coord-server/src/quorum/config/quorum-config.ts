import type { QuorumVerifier } from './quorum-verifier.js';
import type { ClientAddress, QuorumRole, QuorumServerSpec } from './server-spec.js';

/**
 * What a server of an ensemble needs to know from its config: the ensemble (servers, voters,
 * observers, version, the majority rule and the /zookeeper/config text), who it is, and the
 * quorum settings, with ZooKeeper 3.8's defaults filled in.
 */
export interface QuorumConfig {
  readonly verifier: QuorumVerifier;
  /** This server's id (dataDir/myid) and its own line. */
  readonly myid: number;
  readonly self: QuorumServerSpec;
  readonly role: QuorumRole;
  /** Where this server takes clients: its line's client part, else clientPort/clientPortAddress. */
  readonly client?: ClientAddress;
  /** Ticks a learner has to connect and sync to the leader, and to stay in touch. */
  readonly initLimit: number;
  readonly syncLimit: number;
  /** Milliseconds to open an election connection (ZooKeeper's zookeeper.cnxTimeout, 5000). */
  readonly cnxTimeout: number;
  /** Listen on every interface on the quorum and election ports, not just the listed host. */
  readonly quorumListenOnAllIPs: boolean;
  readonly multiAddressEnabled: boolean;
}
