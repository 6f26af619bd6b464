import { codec, type Codec } from './codec.js';
import { Code } from './error-codes.js';
import { JuteError } from './jute/jute-error.js';
import type { JuteReader } from './jute/reader.js';
import type { JuteWriter } from './jute/writer.js';
import { OpCode, opSpec } from './op-codes.js';

/**
 * One op inside a multi or multiRead: its op code and its request body (decoded from the wire
 * as a WireRecord of the op's request record: nulls kept, as a server must see them).
 */
export interface MultiOp {
  readonly type: number;
  readonly body: unknown;
}

/** One result of a multi: the op code (or OpCode.error with `err`) and the response body. */
export interface MultiResult {
  readonly type: number;
  readonly err: number;
  readonly body: unknown;
}

/** Op codes allowed inside a multi (write transaction) and inside a multiRead. */
export const MULTI_WRITE_OPS: ReadonlySet<number> = new Set([
  OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL,
  OpCode.delete, OpCode.setData, OpCode.check,
]);
export const MULTI_READ_OPS: ReadonlySet<number> = new Set([OpCode.getChildren, OpCode.getData]);
/** Every op a multi record may carry; one record must not mix reads and writes. */
export const MULTI_ANY_OPS: ReadonlySet<number> = new Set([...MULTI_WRITE_OPS, ...MULTI_READ_OPS]);

const header = codec('MultiHeader');
const errorResponse = codec('ErrorResponse');
/** Bound on ops in one multi, so a hostile frame cannot make us allocate without limit. */
export const MAX_MULTI_OPS = 65536;

function bodyCodec(type: number, side: 'request' | 'response'): Codec<unknown> | undefined {
  const name = opSpec(type)?.[side];
  return name ? (codec(name) as Codec<unknown>) : undefined;
}

/** A server's read of a multi request: each body as the peer sent it (see Codec.decodeWire). */
export function decodeMultiRequest(r: JuteReader, allowed: ReadonlySet<number>): MultiOp[] {
  const ops: MultiOp[] = [];
  for (;;) {
    const h = header.decode(r);
    if (h.done) return ops;
    if (!allowed.has(h.type)) throw new JuteError(`op ${h.type} not allowed in multi`);
    if (ops.length > 0 && MULTI_READ_OPS.has(ops[0]!.type) !== MULTI_READ_OPS.has(h.type)) {
      throw new JuteError('a multi must not mix read and write ops');
    }
    if (ops.length >= MAX_MULTI_OPS) throw new JuteError(`more than ${MAX_MULTI_OPS} ops in multi`);
    const c = bodyCodec(h.type, 'request');
    ops.push({ type: h.type, body: c ? c.decodeWire(r) : null });
  }
}

export function encodeMultiRequest(w: JuteWriter, ops: readonly MultiOp[]): void {
  for (const op of ops) {
    header.encode(w, { type: op.type, done: false, err: -1 });
    bodyCodec(op.type, 'request')?.encode(w, op.body);
  }
  header.encode(w, { type: -1, done: true, err: -1 });
}

export function encodeMultiResponse(w: JuteWriter, results: readonly MultiResult[]): void {
  for (const res of results) {
    if (res.type === OpCode.error) {
      header.encode(w, { type: OpCode.error, done: false, err: res.err });
      errorResponse.encode(w, { err: res.err });
    } else {
      header.encode(w, { type: res.type, done: false, err: Code.OK });
      bodyCodec(res.type, 'response')?.encode(w, res.body);
    }
  }
  header.encode(w, { type: -1, done: true, err: -1 });
}

export function decodeMultiResponse(r: JuteReader): MultiResult[] {
  const results: MultiResult[] = [];
  for (;;) {
    const h = header.decode(r);
    if (h.done) return results;
    if (results.length >= MAX_MULTI_OPS) throw new JuteError(`more than ${MAX_MULTI_OPS} results in multi`);
    if (h.type === OpCode.error) {
      const e = errorResponse.decode(r);
      results.push({ type: OpCode.error, err: e.err, body: null });
    } else {
      const c = bodyCodec(h.type, 'response');
      results.push({ type: h.type, err: Code.OK, body: c ? c.decode(r) : null });
    }
  }
}
