import { OpCode } from '@paddock/coord-protocol';
import type { QuorumPacket } from '../../packages/coord-server/src/quorum/wire/quorum-packet.js';
import type { SessionTracker } from '../../packages/coord-server/src/session/session-tracker.js';
import type { DataTree } from '../../packages/coord-server/src/tree/data-tree.js';
import type { ApplyResult, ApplyTarget } from '../../packages/coord-server/src/txn/apply.js';
import { NO_WATCH_SINK, WatchManager } from '../../packages/coord-server/src/watch/watch-manager.js';
import type { Hist } from './hist.js';
import type { OpResult } from './ops.js';

/**
 * What a quorum connection carries: packets both ways, and after SNAP the snapshot (with the
 * history it holds, the simulator's bookkeeping riding along).
 */
export type QMsg =
  | { readonly kind: 'packet'; readonly packet: QuorumPacket }
  | { readonly kind: 'snapshot'; readonly snapshot: Buffer; readonly hist: Hist };

const targets = new WeakMap<DataTree, ApplyTarget>();

/** What applyTxn works on for a tree: no watches (no simulated client sets one). */
export function applyTarget(tree: DataTree, sessions: SessionTracker): ApplyTarget {
  let t = targets.get(tree);
  if (!t || t.sessions !== sessions) {
    t = { tree, sessions, dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK) };
    targets.set(tree, t);
  }
  return t;
}

/** A write's reply from its apply result. */
export function resultOf(r: ApplyResult): OpResult {
  if (r.type === OpCode.create || r.type === OpCode.create2) return { path: r.path! };
  if (r.type === OpCode.setData) return { version: r.stat!.version };
  return {};
}
