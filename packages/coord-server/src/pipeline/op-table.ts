import {
  type Codec, Code, JuteError, JuteReader, KeeperError, MULTI_ANY_OPS, MULTI_WRITE_OPS, type MultiOp, OpCode, type OpSpec,
  codec, decodeMultiRequest, opSpec,
} from '@paddock/coord-protocol';
import type { TxnBody } from '../txn/txn.js';
import { type PrepContext, prepCreate, prepDelete, prepSetACL, prepSetData, prepCheck } from './prep.js';
import * as reads from './reads.js';
import type { Asker, ReadContext } from './reads.js';
import { multiFailsBeforeZxid, prepMulti } from './writes.js';

/** A write: decoded, then turned into a txn by prep. */
export interface WriteOp {
  readonly kind: 'write';
  decode(r: JuteReader): unknown;
  prep(req: unknown, ctx: PrepContext): TxnBody;
  /** The response record on success; null for a header-only reply (multi has its own encoding). */
  readonly response: Codec<unknown> | null;
  /** ZooKeeper 3.8 never answers a standalone check that passes; we keep that quirk. */
  readonly silentOnSuccess?: boolean;
  /**
   * True for a request ZooKeeper's prep fails before it assigns a zxid: answered with
   * MarshallingError and an empty result list, consuming no zxid (only multi has such a case).
   */
  readonly failsBeforeZxid?: (req: unknown) => boolean;
}

/** A read (or a watch-table op): answered from the tree without a txn. */
export interface ReadOp {
  readonly kind: 'read';
  decode(r: JuteReader): unknown;
  run(ctx: ReadContext, who: Asker, req: unknown): unknown;
  /** The response record, 'multi' for multiRead, or null for a header-only reply. */
  readonly response: Codec<unknown> | 'multi' | null;
}

/** Ops answered outside the txn path: ping, closeSession, and addAuth and SASL (see auth.ts). */
export interface ControlOp {
  readonly kind: 'control';
  readonly name: 'ping' | 'auth' | 'closeSession' | 'sasl';
  decode(r: JuteReader): unknown;
  readonly response: Codec<unknown> | null;
}

export type OpHandler = WriteOp | ReadOp | ControlOp;

/**
 * What an op carries, as coord-protocol's OPS table says: the one definition the client and
 * the server share. Requests are read as the client sent them (jute's nulls stay null).
 */
function records(op: number): { decode(r: JuteReader): unknown; response: Codec<unknown> | null } {
  const spec: OpSpec | undefined = opSpec(op);
  if (!spec) throw new Error(`op ${op} is not in coord-protocol's OPS table`);
  const request = spec.request === null ? null : codec(spec.request);
  return {
    decode: request === null ? () => null : (r) => request.decodeWire(r),
    response: spec.response === null ? null : (codec(spec.response) as Codec<unknown>),
  };
}

function write(op: number, prep: (req: never, ctx: PrepContext) => TxnBody): WriteOp {
  return { kind: 'write', ...records(op), prep: prep as WriteOp['prep'] };
}

function read(op: number, run: (ctx: ReadContext, who: Asker, req: never) => unknown): ReadOp {
  return { kind: 'read', ...records(op), run: run as ReadOp['run'] };
}

const control = (op: number, name: ControlOp['name']): ControlOp => ({ kind: 'control', name, ...records(op) });

const create = (op: number) => write(op, (req: never, ctx) => prepCreate(op, req, ctx));

/** Ops ZooKeeper accepts as writes but always refuses here: the txn is an error, a zxid is spent. */
function refused(code: number): WriteOp {
  return {
    kind: 'write',
    decode: () => null,
    response: null,
    prep: () => {
      throw code === Code.MarshallingError ? new JuteError('not a client op') : KeeperError.expected(code);
    },
  };
}

/** The only place op codes are dispatched. */
export const OP_TABLE: ReadonlyMap<number, OpHandler> = new Map<number, OpHandler>([
  [OpCode.create, create(OpCode.create)],
  [OpCode.create2, create(OpCode.create2)],
  [OpCode.createContainer, create(OpCode.createContainer)],
  [OpCode.createTTL, create(OpCode.createTTL)],
  [OpCode.delete, write(OpCode.delete, prepDelete)],
  [OpCode.setData, write(OpCode.setData, prepSetData)],
  [OpCode.setACL, write(OpCode.setACL, prepSetACL)],
  [OpCode.check, { ...write(OpCode.check, prepCheck), silentOnSuccess: true }],
  [OpCode.createSession, refused(Code.MarshallingError)],
  [OpCode.reconfig, refused(Code.ReconfigDisabled)],
  [OpCode.deleteContainer, refused(Code.BadArguments)],
  [OpCode.multi, {
    kind: 'write',
    decode: (r) => decodeMultiRequest(r, MULTI_WRITE_OPS),
    response: null,
    prep: (req, ctx) => prepMulti(req as MultiOp[], ctx),
    failsBeforeZxid: (req) => multiFailsBeforeZxid(req as MultiOp[]),
  }],
  [OpCode.exists, read(OpCode.exists, reads.exists)],
  [OpCode.getData, read(OpCode.getData, reads.getData)],
  [OpCode.getACL, read(OpCode.getACL, reads.getACL)],
  [OpCode.getChildren, read(OpCode.getChildren, reads.getChildren)],
  [OpCode.getChildren2, read(OpCode.getChildren2, reads.getChildren2)],
  [OpCode.sync, read(OpCode.sync, reads.sync)],
  [OpCode.getAllChildrenNumber, read(OpCode.getAllChildrenNumber, reads.getAllChildrenNumber)],
  [OpCode.getEphemerals, read(OpCode.getEphemerals, reads.getEphemerals)],
  [OpCode.whoAmI, read(OpCode.whoAmI, reads.whoAmI)],
  [OpCode.addWatch, read(OpCode.addWatch, reads.addWatch)],
  [OpCode.checkWatches, read(OpCode.checkWatches, reads.checkWatches)],
  [OpCode.removeWatches, read(OpCode.removeWatches, reads.removeWatches)],
  [OpCode.setWatches, read(OpCode.setWatches, reads.setWatches)],
  [OpCode.setWatches2, read(OpCode.setWatches2, reads.setWatches)],
  [OpCode.multiRead, {
    kind: 'read',
    // Writes decode here and are refused when run, as in ZooKeeper (an empty result list follows).
    decode: (r) => decodeMultiRequest(r, MULTI_ANY_OPS),
    run: (ctx, who, req) => reads.multiRead(ctx, who, req as MultiOp[]),
    response: 'multi',
  }],
  [OpCode.ping, control(OpCode.ping, 'ping')],
  [OpCode.auth, control(OpCode.auth, 'auth')],
  [OpCode.closeSession, control(OpCode.closeSession, 'closeSession')],
  [OpCode.sasl, control(OpCode.sasl, 'sasl')],
]);
