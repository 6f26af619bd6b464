import { Packr, RESERVE_START_SPACE, Unpackr, type Options } from 'msgpackr';
import { RpcError } from '../../call/rpc-error.js';
import { FrameRefused, decodeRefusal } from './decode-cost.js';

/**
 * msgpackr as configured for the wire. Records (msgpackr's own extension) keep plain objects
 * and Maps apart: objects travel as self-describing records defined inside each frame, so no
 * structure state is shared between frames or connections, and msgpack maps decode as Map.
 * `moreTypes` adds Set, typed arrays (a Uint8Array stays a Uint8Array; a Buffer stays a
 * Buffer) and Error; Date is msgpack's timestamp; BigInt beyond 64 bits uses the bigint
 * extension. Structured-clone references are refused from the wire.
 */
const OPTIONS: Options = {
  useRecords: true,
  mapsAsObjects: false,
  moreTypes: true,
  structuredClone: false,
  useBigIntExtension: true,
  int64AsType: 'bigint',
  // Decoded Buffers are views of the frame's private copy (see FrameCodec.decode).
  copyBuffers: false,
};

/** Bytes of the length prefix before every frame. */
export const HEADER_BYTES = 4;
/** The largest length a 4-byte prefix can state; maxFrameBytes may not exceed it. */
export const MAX_FRAME_LIMIT = 0xffff_ffff;

// One encoder and one decoder per process: both are synchronous and keep nothing between
// frames that another connection could see, and a pair per connection would cost each
// connection msgpackr's 8 KiB buffer.
const packr = new Packr(OPTIONS);
const unpackr = new Unpackr(OPTIONS);

/** Encodes and decodes frames under a connection's bounds: the size of a frame, and what decoding it may cost. */
export class FrameCodec {
  constructor(readonly maxFrameBytes: number, readonly maxDecodeRatio: number) {}

  /**
   * One frame ready for the socket: the length prefix and the message in one buffer (msgpackr
   * reserves the prefix's room, so no copy). Throws RpcError SERIALIZATION when the message
   * cannot be encoded, FRAME_TOO_LARGE when it is over the bound.
   */
  encode(message: readonly unknown[]): Buffer {
    let frame: Buffer;
    try {
      frame = packr.pack(message, RESERVE_START_SPACE | HEADER_BYTES);
    } catch (err) {
      throw new RpcError('SERIALIZATION', `cannot encode the message: ${(err as Error).message}`);
    }
    const length = frame.length - HEADER_BYTES;
    if (length > this.maxFrameBytes) {
      throw new RpcError('FRAME_TOO_LARGE', `a frame of ${length} bytes is over the limit of ${this.maxFrameBytes}`);
    }
    frame.writeUInt32BE(length, 0);
    return frame;
  }

  /**
   * Decodes one frame body. Throws FrameRefused, before anything is allocated, when decoding it
   * would cost more than maxDecodeRatio × its size (see decode-cost.ts) or it is not msgpack as
   * our encoder writes it; otherwise whatever msgpackr throws. The body is a view of a socket
   * chunk, so it is copied first: decoded Buffers are views of that copy and
   * keep at most their own frame alive (a small frame's copy sits in Node's shared 8 KiB
   * Buffer pool), never a whole chunk. One pooled copy per frame costs far less than
   * msgpackr's copyBuffers, which allocates a new ArrayBuffer for every binary value.
   */
  decode(body: Buffer): unknown {
    const refused = decodeRefusal(body, this.maxDecodeRatio);
    if (refused !== null) throw new FrameRefused(refused);
    const copy = Buffer.allocUnsafe(body.length);
    body.copy(copy);
    return unpackr.unpack(copy);
  }
}

/** A message that never changes (PING, GOAWAY...) encoded once. */
export function constantFrame(message: readonly unknown[]): Buffer {
  return Buffer.from(new FrameCodec(MAX_FRAME_LIMIT, 1).encode(message));
}
