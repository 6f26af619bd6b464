import {
  Code, KeeperError, OpCode, decodeMultiResponse, type JuteReader, type MultiOp, type MultiResult,
  type RecordType, type Stat,
} from '@paddock/coord-protocol';
import { checkPath, checkVersion, createCall, toBytes } from './arguments.js';
import type { Chroot } from './chroot.js';
import { badArguments, MultiError, type ErrorResult } from './errors.js';
import type { CreateOptions, Data } from './types.js';

/** One write of a multi (ZooKeeper's Op.create/delete/setData/check). */
export type Op =
  | { readonly type: 'create'; readonly path: string; readonly data?: Data | null; readonly options?: CreateOptions }
  | { readonly type: 'delete'; readonly path: string; readonly version?: number }
  | { readonly type: 'setData'; readonly path: string; readonly data: Data | null; readonly version?: number }
  | { readonly type: 'check'; readonly path: string; readonly version: number };

/** Stat is present for ops that return one: container and TTL creates. */
export interface CreateOpResult { readonly type: 'create'; readonly path: string; readonly stat: Stat | null }
export interface DeleteOpResult { readonly type: 'delete' }
export interface SetDataOpResult { readonly type: 'setData'; readonly stat: Stat }
export interface CheckOpResult { readonly type: 'check' }
export type OpResult = CreateOpResult | DeleteOpResult | SetDataOpResult | CheckOpResult;

/** One read of a multiRead. */
export type ReadOp =
  | { readonly type: 'getData'; readonly path: string }
  | { readonly type: 'getChildren'; readonly path: string };

/** As getData's DataResult: null data reads as an empty buffer, with nullData telling them apart. */
export interface GetDataOpResult { readonly type: 'getData'; readonly data: Buffer; readonly nullData: boolean; readonly stat: Stat }
export interface GetChildrenOpResult { readonly type: 'getChildren'; readonly children: string[] }
/** A multiRead answers each op on its own: a failed read is an ErrorResult, not a rejection. */
export type ReadOpResult = GetDataOpResult | GetChildrenOpResult | ErrorResult;

/** Most ops ZooKeeper takes in one multi (its jute.maxbuffer allows far fewer in practice). */
const MAX_OPS = 10_000;
const EMPTY = Buffer.alloc(0);

function checkOps(ops: readonly unknown[]): void {
  if (!Array.isArray(ops)) throw badArguments('ops must be an array');
  if (ops.length > MAX_OPS) throw badArguments(`${ops.length} ops in one multi, at most ${MAX_OPS}`);
}

function toMultiOp(op: Op, chroot: Chroot): MultiOp {
  switch (op?.type) {
    case 'create': {
      const call = createCall(chroot, op.path, op.data, op.options ?? {}, false);
      return { type: call.op, body: call.body };
    }
    case 'delete':
      checkPath(op.path);
      return { type: OpCode.delete, body: { path: chroot.toServer(op.path), version: checkVersion(op.version ?? -1, op.path) } };
    case 'setData':
      checkPath(op.path);
      return {
        type: OpCode.setData,
        body: { path: chroot.toServer(op.path), data: toBytes(op.data, op.path), version: checkVersion(op.version ?? -1, op.path) },
      };
    case 'check':
      checkPath(op.path);
      return { type: OpCode.check, body: { path: chroot.toServer(op.path), version: checkVersion(op.version, op.path) } };
    default:
      throw badArguments(`unknown multi op ${JSON.stringify((op as { type?: unknown } | null)?.type)}`);
  }
}

/** Validates every op and applies the chroot; throws before anything is sent. */
export function prepareMulti(ops: readonly Op[], chroot: Chroot): MultiOp[] {
  checkOps(ops);
  return ops.map((op) => toMultiOp(op, chroot));
}

export function prepareMultiRead(ops: readonly ReadOp[], chroot: Chroot): MultiOp[] {
  checkOps(ops);
  return ops.map((op) => {
    if (op?.type !== 'getData' && op?.type !== 'getChildren') {
      throw badArguments(`multiRead takes getData and getChildren ops, got ${JSON.stringify((op as { type?: unknown } | null)?.type)}`);
    }
    checkPath(op.path);
    const type = op.type === 'getData' ? OpCode.getData : OpCode.getChildren;
    return { type, body: { path: chroot.toServer(op.path), watch: false } };
  });
}

function writeResult(res: MultiResult, chroot: Chroot): OpResult | ErrorResult {
  switch (res.type) {
    case OpCode.create:
      return { type: 'create', path: chroot.toClient((res.body as RecordType<'CreateResponse'>).path), stat: null };
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL: {
      const body = res.body as RecordType<'Create2Response'>;
      return { type: 'create', path: chroot.toClient(body.path), stat: body.stat };
    }
    case OpCode.delete:
      return { type: 'delete' };
    case OpCode.setData:
      return { type: 'setData', stat: (res.body as RecordType<'SetDataResponse'>).stat };
    case OpCode.check:
      return { type: 'check' };
    default:
      return { type: 'error', err: res.err };
  }
}

function readResult(res: MultiResult): ReadOpResult {
  if (res.type === OpCode.getData) {
    const body = res.body as RecordType<'GetDataResponse'>;
    return { type: 'getData', data: body.data ?? EMPTY, nullData: body.data === null, stat: body.stat };
  }
  if (res.type === OpCode.getChildren) {
    return { type: 'getChildren', children: (res.body as RecordType<'GetChildrenResponse'>).children };
  }
  return { type: 'error', err: res.err };
}

/** A reply without results: the whole request failed (for instance ConnectionLoss). */
function failedWhole(err: number, body: JuteReader | null): boolean {
  return err !== Code.OK && (body === null || body.remaining === 0);
}

/**
 * Reads a multi reply. All ops applied: their results. Rolled back: a MultiError with the
 * code and path of the first failing op and every op's result, as ZooKeeper's client throws.
 */
export function readMultiReply(err: number, body: JuteReader | null, ops: readonly Op[], chroot: Chroot): OpResult[] {
  if (failedWhole(err, body)) throw new KeeperError(err);
  const results = decodeMultiResponse(body as JuteReader).map((r) => writeResult(r, chroot));
  const failed = results.findIndex((r) => r.type === 'error' && r.err !== Code.OK);
  if (failed >= 0) {
    throw new MultiError<OpResult>((results[failed] as ErrorResult).err, ops[failed]?.path, failed, results);
  }
  if (err !== Code.OK) throw new KeeperError(err);
  return results as OpResult[];
}

/**
 * Reads a multiRead reply. Any code in the header fails the whole call, as in ZooKeeper's
 * client, even when results came with it (ZooKeeper sends those of the ops before the one it
 * could not run).
 */
export function readMultiReadReply(err: number, body: JuteReader | null): ReadOpResult[] {
  if (err !== Code.OK) throw new KeeperError(err);
  return decodeMultiResponse(body as JuteReader).map(readResult);
}

/**
 * Builds a multi one op at a time; `commit()` sends it. The result tuple is typed per op, so
 * `const [made, , set] = await tx.create(...).delete(...).setData(...).commit()` is checked.
 */
export class Transaction<R extends readonly OpResult[] = []> {
  private readonly ops: Op[] = [];

  constructor(private readonly run: (ops: readonly Op[]) => Promise<OpResult[]>) {}

  create(path: string, data?: Data | null, options?: CreateOptions): Transaction<[...R, CreateOpResult]> {
    return this.add({ type: 'create', path, data, options });
  }

  delete(path: string, version = -1): Transaction<[...R, DeleteOpResult]> {
    return this.add({ type: 'delete', path, version });
  }

  setData(path: string, data: Data | null, version = -1): Transaction<[...R, SetDataOpResult]> {
    return this.add({ type: 'setData', path, data, version });
  }

  check(path: string, version: number): Transaction<[...R, CheckOpResult]> {
    return this.add({ type: 'check', path, version });
  }

  get size(): number {
    return this.ops.length;
  }

  commit(): Promise<R> {
    return this.run(this.ops) as Promise<unknown> as Promise<R>;
  }

  private add<N extends readonly OpResult[]>(op: Op): Transaction<N> {
    this.ops.push(op);
    return this as unknown as Transaction<N>;
  }
}

