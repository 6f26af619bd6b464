import { startPaddock } from '../support/paddock.js';
import { startZooKeeper, type PeerServer } from '../support/zookeeper.js';

/**
 * One configuration for both servers: a short tick so expiry scenarios run fast, a long
 * maximum session timeout so ordinary scenarios never need pings, and a fast container/TTL
 * reaper.
 */
export const COMPAT_CONFIG = {
  tickTime: 100,
  minSessionTimeout: 200,
  maxSessionTimeout: 30_000,
  containerCheckIntervalMs: 100,
} as const;

export function startZooKeeperPeer(): Promise<PeerServer> {
  return startZooKeeper({ ...COMPAT_CONFIG });
}

export function startOurs(): Promise<PeerServer> {
  return startPaddock({ ...COMPAT_CONFIG });
}
