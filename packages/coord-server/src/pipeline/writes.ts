import { Code, KeeperError, type MultiOp, OpCode, type WireRecord } from '@paddock/coord-protocol';
import {
  type PrepContext, prepCheck, prepCreate, prepDelete, prepSetACL, prepSetData,
} from './prep.js';
import type { TxnBody } from '../txn/txn.js';

/** Preps one op of a multi (or a single write of the same kinds). */
function prepOne(type: number, body: unknown, ctx: PrepContext): TxnBody {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return prepCreate(type, body as WireRecord<'CreateTTLRequest'>, ctx);
    case OpCode.delete: return prepDelete(body as WireRecord<'DeleteRequest'>, ctx);
    case OpCode.setData: return prepSetData(body as WireRecord<'SetDataRequest'>, ctx);
    case OpCode.check: return prepCheck(body as WireRecord<'CheckVersionRequest'>, ctx);
    default: throw new KeeperError(Code.Unimplemented);
  }
}

/**
 * Whether ZooKeeper fails this multi before giving it a zxid: it reads every op's path (to
 * save the pending changes it may roll back) before it assigns the multi its zxid, so one
 * null path anywhere is a NullPointerException there: MarshallingError, no zxid consumed,
 * whatever else the ops hold.
 */
export function multiFailsBeforeZxid(ops: readonly MultiOp[]): boolean {
  return ops.some((op) => (op.body as { path: string | null }).path === null);
}

/**
 * A multi is all-or-nothing. When op i fails, ZooKeeper reports OK (rolled back) for the ops
 * before it, its own code for op i, and RuntimeInconsistency for the ops after it.
 */
export function prepMulti(ops: readonly MultiOp[], ctx: PrepContext): TxnBody {
  ctx.view.record();
  const txns: TxnBody[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    try {
      txns.push(prepOne(op.type, op.body, ctx));
    } catch (e) {
      if (!(e instanceof KeeperError)) throw e;
      const failed: TxnBody[] = ops.map((_, j) => ({
        kind: 'error',
        err: j < i ? Code.OK : j === i ? e.code : Code.RuntimeInconsistency,
      }));
      return { kind: 'multi', txns: failed };
    }
  }
  return { kind: 'multi', txns };
}
