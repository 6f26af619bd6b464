import { RpcError } from '../../call/rpc-error.js';
import { FrameCodec, HEADER_BYTES } from '../wire/frame-codec.js';
import { FrameRefused } from '../wire/decode-cost.js';
import { JSON_TYPE, type MSGPACK_TYPE } from './http-protocol.js';

export type BodyType = typeof JSON_TYPE | typeof MSGPACK_TYPE;

/**
 * Request and response bodies in either format. msgpack goes through the frame codec tcp uses,
 * so the same msgpackr settings (Date, Map, Set, Buffer, BigInt) and the same bounds apply: the
 * size, and what decoding may cost (maxDecodeRatio). JSON needs no estimate: JSON.parse builds at most
 * ~22 bytes per byte of JSON (`[{},{},...]`), within the default ratio.
 */
export class HttpBodyCodec {
  private readonly frames: FrameCodec;

  constructor(readonly maxBodyBytes: number, maxDecodeRatio: number) {
    this.frames = new FrameCodec(maxBodyBytes, maxDecodeRatio);
  }

  /** The argument array of a request body; throws RpcError BAD_REQUEST when it is not one. */
  decodeArgs(type: BodyType, body: Buffer): unknown[] {
    let args: unknown;
    try {
      args = type === JSON_TYPE ? JSON.parse(body.toString('utf8')) : this.frames.decode(body);
    } catch (err) {
      if (err instanceof FrameRefused) throw new RpcError('BAD_REQUEST', `the body was refused before decoding, the call not run: ${err.message}`);
      throw new RpcError('BAD_REQUEST', `the body is not valid ${type}: ${(err as Error).message}`);
    }
    if (!Array.isArray(args)) throw new RpcError('BAD_REQUEST', `the body must be an array of arguments, got ${typeof args}`);
    return args;
  }

  /** Any value as a body; throws RpcError SERIALIZATION or FRAME_TOO_LARGE. */
  encode(type: BodyType, value: unknown): Buffer {
    if (type === JSON_TYPE) {
      let text: string;
      try {
        text = JSON.stringify(value) ?? 'null';
      } catch (err) {
        throw new RpcError('SERIALIZATION', `cannot encode the result as JSON (use ${'application/msgpack'} for rich types): ${(err as Error).message}`);
      }
      const body = Buffer.from(text, 'utf8');
      if (body.length > this.maxBodyBytes) throw new RpcError('FRAME_TOO_LARGE', `a body of ${body.length} bytes is over the limit of ${this.maxBodyBytes}`);
      return body;
    }
    // A one-element array is its 0x91 marker followed by the element's own encoding (records
    // are defined inline), so the bytes after the marker are the value alone.
    return this.frames.encode([value]).subarray(HEADER_BYTES + 1);
  }

  /** A response body in either format; throws what msgpackr or JSON.parse throws, or FrameRefused. */
  decode(type: BodyType, body: Buffer): unknown {
    if (body.length === 0) return undefined;
    return type === JSON_TYPE ? JSON.parse(body.toString('utf8')) : this.frames.decode(body);
  }
}
