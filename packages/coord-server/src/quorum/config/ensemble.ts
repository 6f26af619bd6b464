import { ConfigError } from '../../base/config-error.js';
import { checkServers, type PlacedServer } from './check-servers.js';
import type { QuorumConfig } from './quorum-config.js';
import { javaHostString } from './java-host.js';
import { QuorumVerifier } from './quorum-verifier.js';
import type { ClientAddress, QuorumRole } from './server-spec.js';

/** A setting and where it was read, so a contradiction can name the line. */
interface Placed<T> {
  readonly value: T;
  readonly where: string;
}

/** What the ensemble decision reads from zoo.cfg and dataDir/myid. */
export interface EnsembleInput {
  readonly servers: readonly PlacedServer[];
  /** Every key of the file, in file order: ZooKeeper's printed server order depends on them. */
  readonly keys: readonly string[];
  readonly myid?: Placed<number>;
  readonly peerType?: Placed<QuorumRole>;
  readonly standaloneEnabled: boolean;
  readonly initLimit?: number;
  readonly syncLimit?: number;
  readonly cnxTimeout?: number;
  readonly quorumListenOnAllIPs?: boolean;
  readonly multiAddressEnabled?: boolean;
  /** clientPort (with clientPortAddress when set), which a server line's client part must agree with. */
  readonly clientPort?: Placed<{ readonly host?: string; readonly port: number }>;
}

export type Ensemble =
  /** `client`: this server's own line's client part, when it has one. */
  | { readonly mode: 'standalone'; readonly client?: ClientAddress }
  | { readonly mode: 'quorum'; readonly quorum: QuorumConfig };

const WILDCARD = '0.0.0.0';

/**
 * Decides standalone or ensemble as ZooKeeper 3.8 does (QuorumPeerConfig.isDistributed): an
 * ensemble when more than one voter is listed, or when standaloneEnabled=false and at least one
 * is; with one voter (HBase's habit of listing the server itself) and standaloneEnabled, the
 * server runs standalone. Refuses, naming the line, what ZooKeeper refuses (observers without
 * a quorum, no voters with standaloneEnabled=false, initLimit or syncLimit or myid missing in an
 * ensemble, myid not listed, a client address that disagrees with clientPort) and what it lets
 * through to fail later or silently (see checkServers; peerType contradicting the server's own
 * line, which ZooKeeper overrides with a warning).
 */
export function resolveEnsemble(input: EnsembleInput): Ensemble {
  checkServers(input.servers);
  const voters = input.servers.filter((s) => s.spec.role === 'participant');
  const observers = input.servers.filter((s) => s.spec.role === 'observer');
  const first = (list: readonly PlacedServer[]): string => list[0]!.where;
  if (voters.length === 0 && observers.length > 0) {
    throw new ConfigError(`${first(observers)}: observers need participants to observe; no server line is a participant`);
  }
  if (voters.length === 0 && !input.standaloneEnabled) {
    throw new ConfigError('zoo.cfg: standaloneEnabled=false needs at least one participant server.N line');
  }
  if (voters.length === 1 && input.standaloneEnabled && observers.length > 0) {
    throw new ConfigError(`${first(observers)}: observers need a quorum of at least two participants, or standaloneEnabled=false`);
  }
  const client = lineClient(input);
  if (voters.length === 0 || (voters.length === 1 && input.standaloneEnabled)) {
    return { mode: 'standalone', ...(client ? { client } : {}) };
  }
  const st = input.clientPort?.value;
  return { mode: 'quorum', quorum: quorumConfig(input, client ?? (st && { host: javaHostString(st.host ?? WILDCARD), port: st.port })) };
}

function quorumConfig(input: EnsembleInput, client: ClientAddress | undefined): QuorumConfig {
  if (input.initLimit === undefined) throw new ConfigError('zoo.cfg: initLimit is not set (an ensemble needs it)');
  if (input.syncLimit === undefined) throw new ConfigError('zoo.cfg: syncLimit is not set (an ensemble needs it)');
  const myid = input.myid;
  if (!myid) throw new ConfigError('zoo.cfg: dataDir/myid is missing; an ensemble server needs one holding its server id');
  const keyOf = new Map(input.servers.flatMap((s) => (s.key ? [[s.spec.id, s.key] as const] : [])));
  const verifier = new QuorumVerifier(input.servers.map((s) => s.spec), input.keys, 0, keyOf);
  const self = verifier.server(myid.value);
  if (!self) {
    const listed = input.servers.map((s) => s.spec.id).join(', ');
    throw new ConfigError(`${myid.where}: server id ${myid.value} is not listed in zoo.cfg (server ids ${listed})`);
  }
  const peerType = input.peerType;
  if (peerType && peerType.value !== self.role) {
    const line = input.servers.find((s) => s.spec.id === self.id)!.where;
    throw new ConfigError(`${peerType.where}: peerType=${peerType.value} contradicts this server's own line, ${line}, which makes it a ${self.role}`);
  }
  return {
    verifier, myid: myid.value, self, role: self.role, ...(client ? { client } : {}),
    initLimit: input.initLimit, syncLimit: input.syncLimit, cnxTimeout: input.cnxTimeout ?? 5000,
    quorumListenOnAllIPs: input.quorumListenOnAllIPs ?? false, multiAddressEnabled: input.multiAddressEnabled ?? false,
  };
}

/**
 * This server's own line's client part, as ZooKeeper's setupClientPort settles it: it wins over
 * clientPort but must agree with it (the same port when clientPortAddress is unset or a
 * wildcard, else the same host and port).
 */
function lineClient(input: EnsembleInput): ClientAddress | undefined {
  const own = input.myid && input.servers.find((s) => s.spec.id === input.myid!.value);
  const fromLine = own?.spec.client;
  const st = input.clientPort;
  if (fromLine && st) {
    const host = javaHostString(st.value.host ?? WILDCARD);
    const agrees = host === WILDCARD ? st.value.port === fromLine.port : host === fromLine.host && st.value.port === fromLine.port;
    if (!agrees) {
      throw new ConfigError(`${own!.where}: its client address ${fromLine.host}:${fromLine.port} disagrees with ${st.where} (${host}:${st.value.port})`);
    }
  }
  return fromLine;
}
