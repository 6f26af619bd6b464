import { Code, Ids, KeeperError, OpCode } from '@paddock/coord-protocol';
import { type PrepContext, prepCreate, prepDelete, prepSetData } from '../../packages/coord-server/src/pipeline/prep.js';
import { PrepView } from '../../packages/coord-server/src/pipeline/prep-view.js';
import { sessionPassword } from '../../packages/coord-server/src/session/session-password.js';
import type { SessionTracker } from '../../packages/coord-server/src/session/session-tracker.js';
import type { DataTree } from '../../packages/coord-server/src/tree/data-tree.js';
import type { TxnBody } from '../../packages/coord-server/src/txn/txn.js';
import type { ClientOp } from './ops.js';

/** A write as the leader's pipeline stand-in receives it: whose, and what. */
export type SimWrite = ClientOp | { readonly op: 'createSession'; readonly timeout: number };

/** The wire op code of a write, as a learner forwards it in a REQUEST. */
export function opCodeOf(w: SimWrite): number {
  switch (w.op) {
    case 'create': return OpCode.create;
    case 'set': return OpCode.setData;
    case 'delete': return OpCode.delete;
    case 'createSession': return OpCode.createSession;
    case 'closeSession': return OpCode.closeSession;
    default: throw new Error(`${w.op} is not a write`);
  }
}

/** The REQUEST's body: JSON (the machines never read it; only the sim's leader does). */
export function encodeWrite(w: SimWrite): Buffer {
  return Buffer.from(JSON.stringify(w), 'utf8');
}

export function decodeWrite(bytes: Buffer): SimWrite {
  return JSON.parse(bytes.toString('utf8')) as SimWrite;
}

/**
 * The leader's prep for one write, through the real prep functions over its tree (which holds
 * every txn proposed so far): the txn body, or an error txn as ZooKeeper logs a refused write
 * (a session that is gone or closing included). Marks a closing session as the tracker does.
 */
export function prepWrite(tree: DataTree, sessions: SessionTracker, sessionId: bigint, w: SimWrite): TxnBody {
  if (w.op === 'createSession') {
    if (sessions.get(sessionId)) return { kind: 'error', err: Code.SessionExpired };
    return { kind: 'createSession', timeout: w.timeout, passwd: sessionPassword(sessionId) };
  }
  const session = sessions.get(sessionId);
  if (!session || session.closing) return { kind: 'error', err: Code.SessionExpired };
  if (w.op === 'closeSession') {
    session.closing = true;
    return { kind: 'closeSession', paths: tree.ephemeralsOf(sessionId) };
  }
  const ctx: PrepContext = { view: new PrepView(tree), sessionId, authInfo: [], extendedTypes: false, quota: null };
  try {
    switch (w.op) {
      case 'create':
        return prepCreate(OpCode.create, { path: w.path, data: Buffer.from(w.data, 'utf8'), acl: [...Ids.OPEN_ACL_UNSAFE], flags: w.flags }, ctx);
      case 'set': return prepSetData({ path: w.path, data: Buffer.from(w.data, 'utf8'), version: w.version }, ctx);
      case 'delete': return prepDelete({ path: w.path, version: w.version }, ctx);
      default: throw new Error(`${w.op} is not a write`);
    }
  } catch (e) {
    if (e instanceof KeeperError) return { kind: 'error', err: e.code };
    throw e;
  }
}

/** A session the leader expires: closed with the ephemerals its tree holds for it. */
export function closeBody(tree: DataTree, sessionId: bigint): TxnBody {
  return { kind: 'closeSession', paths: tree.ephemeralsOf(sessionId) };
}
