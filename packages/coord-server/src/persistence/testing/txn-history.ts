import type { ACL } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { createLogger } from '../../base/logger.js';
import { SessionTracker } from '../../session/session-tracker.js';
import { applyTxn } from '../../txn/apply.js';
import type { Txn, TxnBody } from '../../txn/txn.js';
import { DataTree } from '../../tree/data-tree.js';
import { NO_WATCH_SINK, WatchManager } from '../../watch/watch-manager.js';
import { FileTxnLog } from '../file-txn-log.js';
import { recover, type RecoveredState } from '../recovery.js';
import { writeSnapshot } from '../snapshot.js';

const logger = createLogger('silent');
const ACL_OPEN: ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

export function createBody(path: string, parentCVersion: number, owner = 0n): TxnBody {
  return { kind: 'create', op: 1, path, data: Buffer.from(path), acl: ACL_OPEN, owner, parentCVersion };
}

/** A tiny history: a session, nodes, data changes, a multi and a delete. */
export function history(): Txn[] {
  const t = (zxid: number, body: TxnBody, sessionId = 0x1_0000_0000_0001n): Txn => ({ zxid, time: 1000 + zxid, sessionId, body });
  return [
    t(1, { kind: 'createSession', timeout: 4000, passwd: Buffer.alloc(16, 1) }),
    t(2, createBody('/a', 1)),
    t(3, createBody('/a/e', 1, 0x1_0000_0000_0001n)),
    t(4, { kind: 'setData', path: '/a', data: Buffer.from('v1'), version: 1 }),
    t(5, { kind: 'multi', txns: [createBody('/b', 2), { kind: 'setACL', path: '/b', acl: ACL_OPEN, version: 1 }] }),
    t(6, { kind: 'error', err: -101 }),
    t(7, { kind: 'delete', path: '/b' }),
  ];
}

/** `count` creates of /n0, /n1, … numbered from zxid `from`: a longer log. */
export function creates(count: number, from = 1): Txn[] {
  return Array.from({ length: count }, (_, i) => ({
    zxid: from + i, time: 1000 + i, sessionId: 0n, body: createBody(`/n${i}`, i + 1),
  }));
}

/** A create of /z<zxid in hex> at each zxid given: a history numbered as the caller likes. */
export function createsAt(zxids: readonly number[]): Txn[] {
  return zxids.map((zxid, i) => ({ zxid, time: 1000 + i, sessionId: 0n, body: createBody(`/z${zxid.toString(16)}`, i + 1) }));
}

/** zxid `counter` of `epoch`. */
export const zx = (epoch: number, counter: number): number => epoch * 2 ** 32 + counter;

/** An empty tree and tracker with the watch managers applyTxn wants. */
export function emptyTarget() {
  return { tree: new DataTree(), sessions: new SessionTracker(100, new ManualClock(), 1), dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK) };
}

/** The tree and sessions a server holds once it applied `txns`. */
export function stateAfter(txns: readonly Txn[]) {
  const t = emptyTarget();
  for (const txn of txns) applyTxn(t, txn);
  return t;
}

/** Every znode with its Stat and data, to compare two trees. */
export function dump(tree: DataTree): string {
  return JSON.stringify([...tree.entries()].map(([p, n]) => [p, n.stat(), n.data?.toString() ?? null]), (_, v) => typeof v === 'bigint' ? v.toString() : v);
}

/** Writes `txns` to a txn log in `dir` and waits until all are durable. */
export async function writeLog(dir: string, txns: Txn[]): Promise<void> {
  let durable = 0;
  let failed: Error | null = null;
  const log = new FileTxnLog({ dir, forceSync: true, logger, onDurable: (z) => { durable = z; }, onFatal: (e) => { failed = e; } }, 0);
  for (const txn of txns) log.append(txn);
  await log.close();
  if (failed) throw failed;
  if (durable !== txns.at(-1)!.zxid) throw new Error(`log durable up to ${durable}, expected ${txns.at(-1)!.zxid}`);
}

/** Writes each group of txns as a log file of its own, and a snapshot of the state after each zxid in `snapshotsAt`. */
export async function layOut(dir: string, groups: readonly Txn[][], snapshotsAt: readonly number[]): Promise<void> {
  for (const g of groups) await writeLog(dir, g);
  const all = groups.flat();
  for (const z of snapshotsAt) {
    const s = stateAfter(all.filter((t) => t.zxid <= z));
    await writeSnapshot(dir, z, s.tree, s.sessions);
  }
}

/** Recovers the snapshots and logs in `dir`, as a standalone server with tickTime 100. */
export function recoverFrom(dir: string): RecoveredState {
  return recover({ snapDir: dir, logDir: dir, tickTime: 100, serverId: 1, clock: new ManualClock(), logger });
}
