// Starting Apache ZooKeeper is shared with the benches, which are a compiled project, so the
// code lives in bench/support; this module keeps the test-facing API and adds the skip helper.
import { zooKeeperMissing } from '../../bench/support/zookeeper.js';

export { fourLetter } from '../../bench/support/four-letter.js';
export type { PeerServer } from '../../bench/support/peer-server.js';
export { ZK_CLI, startZooKeeper } from '../../bench/support/zookeeper.js';

/** Logs a visible skip message when the peer is missing; returns true when tests must skip. */
export function skipWithoutZooKeeper(suite: string): boolean {
  const why = zooKeeperMissing();
  if (why) console.warn(`[SKIP] ${suite}: ${why}`);
  return why !== null;
}
