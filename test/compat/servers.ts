import { startPaddock } from '../support/paddock.js';
import { startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { SUPER_DIGEST } from './super-user.js';

/**
 * One configuration for both servers: a short tick so expiry scenarios run fast, a long
 * maximum session timeout so ordinary scenarios never need pings, and a fast container/TTL
 * reaper. Both know the same super user (see super-user.ts).
 */
export const COMPAT_CONFIG = {
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
