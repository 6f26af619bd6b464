import {
  type Codec, Code, JuteError, JuteReader, KeeperError, MULTI_ANY_OPS, MULTI_WRITE_OPS, type MultiOp, OpCode, type RecordName, codec,
  decodeMultiRequest,
} from '@paddock/coord-protocol';
import { type PrepContext, prepCreate, prepDelete, prepSetACL, prepSetData, prepCheck } from './prep.js';
import * as reads from './reads.js';
import type { Asker, ReadContext } from './reads.js';
import type { TxnBody } from '../txn/txn.js';
import { multiFailsBeforeZxid, prepMulti } from './writes.js';

/** A write: decoded, then turned into a txn by prep. */
export interface WriteOp {
  readonly kind: 'write';
  decode(r: JuteReader): unknown;
  prep(req: unknown, ctx: PrepContext): TxnBody;
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

/** Ops the connection itself handles: ping, auth, closeSession. */
export interface ControlOp {
  readonly kind: 'control';
  readonly name: 'ping' | 'auth' | 'closeSession' | 'sasl';
}

export type OpHandler = WriteOp | ReadOp | ControlOp;

/** Requests are read as the client sent them: jute's nulls stay null (WireRecord). */
const dec = (name: RecordName) => {
  const c = codec(name);
  return (r: JuteReader): unknown => c.decodeWire(r);
};
const res = (name: RecordName) => codec(name) as Codec<unknown>;

function write(request: RecordName, prep: (req: never, ctx: PrepContext) => TxnBody): WriteOp {
  return { kind: 'write', decode: dec(request), prep: prep as WriteOp['prep'] };
}

function read(request: RecordName | null, response: RecordName | null, run: (ctx: ReadContext, who: Asker, req: never) => unknown): ReadOp {
  return {
    kind: 'read',
    decode: request ? dec(request) : () => null,
    run: run as ReadOp['run'],
    response: response ? res(response) : null,
  };
}

const create = (op: number) => write('CreateRequest', (req: never, ctx) => prepCreate(op, req, ctx));

/** Ops ZooKeeper accepts as writes but always refuses here: the txn is an error, a zxid is spent. */
function refused(code: number): WriteOp {
  return {
    kind: 'write',
    decode: () => null,
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
  [OpCode.createTTL, write('CreateTTLRequest', (req: never, ctx) => prepCreate(OpCode.createTTL, req, ctx))],
  [OpCode.delete, write('DeleteRequest', prepDelete)],
  [OpCode.setData, write('SetDataRequest', prepSetData)],
  [OpCode.setACL, write('SetACLRequest', prepSetACL)],
  [OpCode.check, { ...write('CheckVersionRequest', prepCheck), silentOnSuccess: true }],
  [OpCode.createSession, refused(Code.MarshallingError)],
  [OpCode.reconfig, refused(Code.ReconfigDisabled)],
  [OpCode.deleteContainer, refused(Code.BadArguments)],
  [OpCode.multi, {
    kind: 'write',
    decode: (r) => decodeMultiRequest(r, MULTI_WRITE_OPS),
    prep: (req, ctx) => prepMulti(req as MultiOp[], ctx),
    failsBeforeZxid: (req) => multiFailsBeforeZxid(req as MultiOp[]),
  }],
  [OpCode.exists, read('ExistsRequest', 'ExistsResponse', reads.exists)],
  [OpCode.getData, read('GetDataRequest', 'GetDataResponse', reads.getData)],
  [OpCode.getACL, read('GetACLRequest', 'GetACLResponse', reads.getACL)],
  [OpCode.getChildren, read('GetChildrenRequest', 'GetChildrenResponse', reads.getChildren)],
  [OpCode.getChildren2, read('GetChildren2Request', 'GetChildren2Response', reads.getChildren2)],
  [OpCode.sync, read('SyncRequest', 'SyncResponse', reads.sync)],
  [OpCode.getAllChildrenNumber, read('GetAllChildrenNumberRequest', 'GetAllChildrenNumberResponse', reads.getAllChildrenNumber)],
  [OpCode.getEphemerals, read('GetEphemeralsRequest', 'GetEphemeralsResponse', reads.getEphemerals)],
  [OpCode.whoAmI, read(null, 'WhoAmIResponse', reads.whoAmI)],
  [OpCode.addWatch, read('AddWatchRequest', 'ErrorResponse', reads.addWatch)],
  [OpCode.checkWatches, read('CheckWatchesRequest', null, reads.checkWatches)],
  [OpCode.removeWatches, read('RemoveWatchesRequest', null, reads.removeWatches)],
  [OpCode.setWatches, read('SetWatches', null, reads.setWatches)],
  [OpCode.setWatches2, read('SetWatches2', null, reads.setWatches)],
  [OpCode.multiRead, {
    kind: 'read',
    // Writes decode here and are refused when run, as in ZooKeeper (an empty result list follows).
    decode: (r) => decodeMultiRequest(r, MULTI_ANY_OPS),
    run: (ctx, who, req) => reads.multiRead(ctx, who, req as MultiOp[]),
    response: 'multi',
  }],
  [OpCode.ping, { kind: 'control', name: 'ping' }],
  [OpCode.auth, { kind: 'control', name: 'auth' }],
  [OpCode.closeSession, { kind: 'control', name: 'closeSession' }],
  [OpCode.sasl, { kind: 'control', name: 'sasl' }],
]);
