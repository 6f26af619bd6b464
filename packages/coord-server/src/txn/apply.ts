import { type Stat, Code, EventType, OpCode, parentPath } from '@paddock/coord-protocol';
import type { SessionTracker } from '../session/session-tracker.js';
import type { DataTree } from '../tree/data-tree.js';
import type { WatchManager } from '../watch/watch-manager.js';
import type { Txn, TxnBody } from './txn.js';

/** The outcome of one (sub-)transaction, shaped for the reply stage. */
export interface ApplyResult {
  /** The op code the result answers (OpCode.error for a failed op). */
  readonly type: number;
  readonly err: number;
  readonly path?: string;
  readonly stat?: Stat;
  readonly results?: readonly ApplyResult[];
}

export interface ApplyTarget {
  readonly tree: DataTree;
  readonly sessions: SessionTracker;
  readonly dataWatches: WatchManager;
  readonly childWatches: WatchManager;
}

const OK_DELETE: ApplyResult = { type: OpCode.delete, err: Code.OK };
const OK_CHECK: ApplyResult = { type: OpCode.check, err: Code.OK };
const OK_SESSION: ApplyResult = { type: OpCode.createSession, err: Code.OK };
const OK_CLOSE: ApplyResult = { type: OpCode.closeSession, err: Code.OK };

/**
 * Applies a transaction to the tree and fires the watches it triggers, in ZooKeeper's order:
 * the node's own event first, then its parent's NodeChildrenChanged. Used for live requests
 * and for log replay alike, so it never re-validates: prep already did.
 */
export function applyTxn(t: ApplyTarget, txn: Txn): ApplyResult {
  const result = applyBody(t, txn, txn.body);
  if (txn.zxid > t.tree.lastProcessedZxid) t.tree.lastProcessedZxid = txn.zxid;
  return result;
}

/**
 * Replays a logged txn on recovery. A fuzzy snapshot may already hold some of its effects, so
 * a create of an existing node, or a change to a missing one, is skipped (a create still
 * carries its parent's cversion and pzxid forward), as ZooKeeper's replay does.
 */
export function replayTxn(t: ApplyTarget, txn: Txn): void {
  const body = txn.body;
  const subs = body.kind === 'multi' ? body.txns : [body];
  if (subs.every((b) => applicable(t, txn, b))) {
    applyTxn(t, txn);
  } else {
    for (const b of subs) if (applicable(t, txn, b)) applyBody(t, txn, b);
    if (txn.zxid > t.tree.lastProcessedZxid) t.tree.lastProcessedZxid = txn.zxid;
  }
}

function applicable(t: ApplyTarget, txn: Txn, b: TxnBody): boolean {
  switch (b.kind) {
    case 'create': {
      const parent = t.tree.getNode(parentPath(b.path));
      if (!parent) return false;
      if (!t.tree.getNode(b.path)) return true;
      if (b.parentCVersion > parent.cversion) parent.cversion = b.parentCVersion;
      if (txn.zxid > parent.pzxid) parent.pzxid = txn.zxid;
      return false;
    }
    case 'delete': {
      const node = t.tree.getNode(b.path);
      // Already gone from a fuzzy snapshot: the delete still moved its parent's pzxid.
      if (!node) advanceParentPzxid(t, b.path, txn.zxid);
      return node !== undefined && node.children.size === 0;
    }
    case 'setData':
    case 'setACL':
      return t.tree.getNode(b.path) !== undefined;
    default:
      return true;
  }
}

function applyBody(t: ApplyTarget, txn: Txn, body: TxnBody): ApplyResult {
  switch (body.kind) {
    case 'create': {
      const node = t.tree.createNode(body.path, body.data, body.acl, body.owner, body.parentCVersion, txn.zxid, txn.time);
      t.dataWatches.trigger(body.path, EventType.NodeCreated, undefined, node.acl);
      triggerParent(t, body.path);
      // A plain create answers the path alone: no Stat to build for it (inside a multi too).
      return { type: body.op, err: Code.OK, path: body.path, stat: body.op === OpCode.create ? undefined : node.stat() };
    }
    case 'delete':
      deleteAndTrigger(t, body.path, txn.zxid);
      return OK_DELETE;
    case 'setData': {
      const node = t.tree.setData(body.path, body.data, body.version, txn.zxid, txn.time);
      t.dataWatches.trigger(body.path, EventType.NodeDataChanged, undefined, node.acl);
      return { type: OpCode.setData, err: Code.OK, stat: node.stat() };
    }
    case 'setACL':
      return { type: OpCode.setACL, err: Code.OK, stat: t.tree.setACL(body.path, body.acl, body.version).stat() };
    case 'check':
      return OK_CHECK;
    case 'error':
      return { type: OpCode.error, err: body.err };
    case 'multi':
      return { type: OpCode.multi, err: Code.OK, results: body.txns.map((sub) => applyBody(t, txn, sub)) };
    case 'createSession':
      t.sessions.add(txn.sessionId, body.timeout, body.passwd);
      return OK_SESSION;
    case 'closeSession':
      for (const path of body.pathsUnlisted ? t.tree.ephemeralsOf(txn.sessionId) : body.paths) {
        if (t.tree.getNode(path)) deleteAndTrigger(t, path, txn.zxid);
        else advanceParentPzxid(t, path, txn.zxid);
      }
      t.sessions.remove(txn.sessionId);
      return OK_CLOSE;
  }
}

/** A delete replayed after its node vanished still advances the parent's pzxid (ZOOKEEPER-3145). */
function advanceParentPzxid(t: ApplyTarget, path: string, zxid: number): void {
  const parent = t.tree.getNode(parentPath(path));
  if (parent && zxid > parent.pzxid) parent.pzxid = zxid;
}

/** Each event reaches only watchers with READ on the node it is about (see WatchManager.trigger). */
function deleteAndTrigger(t: ApplyTarget, path: string, zxid: number): void {
  const acl = t.tree.getNode(path)?.acl;
  t.tree.deleteNode(path, zxid);
  const told = t.dataWatches.trigger(path, EventType.NodeDeleted, undefined, acl);
  t.childWatches.trigger(path, EventType.NodeDeleted, told, acl);
  triggerParent(t, path);
}

function triggerParent(t: ApplyTarget, path: string): void {
  const parent = parentPath(path);
  if (!t.childWatches.mayFire(parent)) return;
  t.childWatches.trigger(parent, EventType.NodeChildrenChanged, undefined, t.tree.getNode(parent)?.acl);
}
