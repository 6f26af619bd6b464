import { ConfigError } from '../../base/config-error.js';
import type { QuorumServerSpec } from './server-spec.js';

/** A parsed server line and where it was read, e.g. `zoo.cfg line 7 (server.2=…)`. */
export interface PlacedServer {
  readonly spec: QuorumServerSpec;
  readonly where: string;
  /** The key as written (`server.01` is server 1): ZooKeeper's printed order hashes it. */
  readonly key?: string;
}

const WILDCARDS = new Set(['0.0.0.0', '0:0:0:0:0:0:0:0']);

/**
 * Refuses a server list no ensemble can run with, naming both lines: one id listed twice
 * (ZooKeeper keeps the last and says nothing), or one host:port used twice, by two servers or
 * by two roles of one server (ZooKeeper accepts it and the second server fails to bind). A
 * client address on every interface (0.0.0.0, the default for `;port`) is compared only
 * with its own server's ports: every server of a three-machine ensemble may say `;2181`.
 */
export function checkServers(servers: readonly PlacedServer[]): void {
  const ids = new Map<number, PlacedServer>();
  const taken = new Map<string, { owner: PlacedServer; what: string }>();
  const claim = (owner: PlacedServer, host: string, port: number, what: string): void => {
    const key = `${host}|${port}`;
    const earlier = taken.get(key);
    if (earlier) {
      const first = earlier.owner === owner ? 'its own' : `${earlier.owner.where}'s`;
      throw new ConfigError(`${owner.where}: ${what} ${host}:${port} is already ${first} ${earlier.what}`);
    }
    taken.set(key, { owner, what });
  };
  for (const s of servers) {
    const before = ids.get(s.spec.id);
    if (before) throw new ConfigError(`${s.where}: server id ${s.spec.id} is already listed at ${before.where}`);
    ids.set(s.spec.id, s);
    for (const a of s.spec.addresses) {
      claim(s, a.host, a.quorumPort, 'quorum address');
      claim(s, a.host, a.electionPort, 'election address');
    }
    const client = s.spec.client;
    if (client && !WILDCARDS.has(client.host)) claim(s, client.host, client.port, 'client address');
    if (client && WILDCARDS.has(client.host)) {
      const clash = s.spec.addresses.find((a) => a.quorumPort === client.port || a.electionPort === client.port);
      if (clash) throw new ConfigError(`${s.where}: client port ${client.port} is also one of its quorum or election ports`);
    }
  }
}
