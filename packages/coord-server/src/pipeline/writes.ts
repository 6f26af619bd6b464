import { Code, KeeperError, type MultiOp, OpCode, type RecordType } from '@paddock/coord-protocol';
import {
  type PrepContext, prepCheck, prepCreate, prepDelete, prepSetACL, prepSetData,
} from './prep.js';
import type { TxnBody } from './txn.js';

/** Preps one op of a multi (or a single write of the same kinds). */
export function prepOne(type: number, body: unknown, ctx: PrepContext): TxnBody {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return prepCreate(type, body as RecordType<'CreateTTLRequest'>, ctx);
    case OpCode.delete: return prepDelete(body as RecordType<'DeleteRequest'>, ctx);
    case OpCode.setData: return prepSetData(body as RecordType<'SetDataRequest'>, ctx);
    case OpCode.check: return prepCheck(body as RecordType<'CheckVersionRequest'>, ctx);
    default: throw new KeeperError(Code.Unimplemented);
  }
}

/**
 * A multi is all-or-nothing. When op i fails, ZooKeeper reports OK (rolled back) for the ops
 * before it, its own code for op i, and RuntimeInconsistency for the ops after it.
 */
export function prepMulti(ops: readonly MultiOp[], ctx: PrepContext): TxnBody {
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
