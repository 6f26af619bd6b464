import type { ApplyTarget } from '../txn/apply.js';
import type { WatchManager } from '../watch/watch-manager.js';
import type { ClientConn } from './client-conn.js';
import type { ReadContext } from './reads.js';

/**
 * What requests act on (ZooKeeper's ZKDatabase): the tree, the sessions and the two watch
 * tables, whose watchers are client connections.
 */
export interface Database extends ApplyTarget, ReadContext {
  readonly dataWatches: WatchManager<ClientConn>;
  readonly childWatches: WatchManager<ClientConn>;
}
