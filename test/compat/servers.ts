import { afterAll, beforeAll } from 'vitest';
import { startPaddock } from '../support/paddock.js';
import { startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { SUPER_DIGEST } from './super-user.js';

/**
 * One configuration for both servers: a short tick so expiry scenarios run fast, a long
 * maximum session timeout so ordinary scenarios never need pings, and a fast container/TTL
 * reaper. Both know the same super user (see super-user.ts).
 */
const COMPAT_CONFIG = {
  tickTime: 100,
  minSessionTimeout: 200,
  maxSessionTimeout: 30_000,
  containerCheckIntervalMs: 100,
} as const;

export function startZooKeeperPeer(): Promise<PeerServer> {
  // ZooKeeper turns an unknown zoo.cfg key into the system property "zookeeper.<key>", which is
  // where its digest provider reads the super user from.
  return startZooKeeper({ ...COMPAT_CONFIG, extra: { 'DigestAuthenticationProvider.superDigest': SUPER_DIGEST } });
}

export function startOurs(): Promise<PeerServer> {
  return startPaddock({ ...COMPAT_CONFIG, superDigest: SUPER_DIGEST });
}

/** Both servers of a differential suite, set once its beforeAll ran. */
export interface ServerPair {
  readonly zk: PeerServer;
  readonly ours: PeerServer;
}

/** Starts ZooKeeper and ours (fresh) before the enclosing suite's tests, stops both after them. */
export function bothServers(): ServerPair {
  const pair: { zk?: PeerServer; ours?: PeerServer } = {};
  beforeAll(async () => {
    [pair.zk, pair.ours] = await Promise.all([startZooKeeperPeer(), startOurs()]);
  });
  afterAll(async () => {
    await Promise.all([pair.zk?.stop(), pair.ours?.stop()]);
  });
  return pair as ServerPair;
}
