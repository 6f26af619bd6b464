import { RpcError } from '../../call/rpc-error.js';
import type { ByteBudget } from '../byte-budget.js';
import { HEADER_BYTES } from '../wire/frame-codec.js';

/** Receives the frame bodies a decoder cuts out of the byte stream. */
export interface FrameSink {
  onFrame(body: Buffer): void;
}

/**
 * Cuts a byte stream into length-prefixed frames. Whole frames inside one chunk are handed
 * over as views without copying; a frame split across chunks is assembled once, when its last
 * byte arrives. A length over the bound throws FRAME_TOO_LARGE as soon as the prefix is read,
 * before any of the body is buffered. The bytes of the incomplete frame it holds are taken from
 * `budget` (shared by a provider's connections); when it has none left, push throws
 * PROVIDER_BUSY and the decoder stops.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  /** Bytes held in `chunks`: the incomplete frame's, all taken from the budget. */
  private buffered = 0;
  /** Body length of the frame being assembled, or -1 while its prefix is incomplete. */
  private need = -1;
  private stopped = false;

  constructor(private readonly maxFrameBytes: number, private readonly sink: FrameSink, private readonly budget: ByteBudget | null = null) {}

  /** Stops delivering frames, also in the middle of a chunk (the connection closed). */
  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.budget?.give(this.buffered);
    this.buffered = 0;
  }

  push(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    if (this.buffered === 0) {
      this.parse(chunk);
      return;
    }
    this.chunks.push(chunk);
    const total = this.buffered + chunk.length;
    if (this.need < 0 && total >= HEADER_BYTES) this.need = this.checkLength(this.prefixOfChunks(total));
    if (this.need < 0 || total < HEADER_BYTES + this.need) {
      this.hold(total);
      return;
    }
    // Complete: assembled and handed over at once, so these bytes are never held.
    const joined = Buffer.concat(this.chunks, total);
    this.chunks = [];
    this.hold(0);
    this.need = -1;
    this.parse(joined);
  }

  private parse(buf: Buffer): void {
    let offset = 0;
    while (!this.stopped && buf.length - offset >= HEADER_BYTES) {
      const length = this.checkLength(buf.readUInt32BE(offset));
      const end = offset + HEADER_BYTES + length;
      if (end > buf.length) break;
      this.sink.onFrame(buf.subarray(offset + HEADER_BYTES, end));
      offset = end;
    }
    if (this.stopped || offset === buf.length) return;
    const rest = buf.subarray(offset);
    this.chunks = [rest];
    this.need = rest.length >= HEADER_BYTES ? rest.readUInt32BE(0) : -1;
    this.hold(rest.length);
  }

  /** Now holds `bytes` of an incomplete frame: takes the growth from the budget, gives back a shrink. */
  private hold(bytes: number): void {
    const more = bytes - this.buffered;
    if (more > 0 && this.budget !== null && !this.budget.take(more)) {
      const { used, limit } = this.budget;
      this.stop();
      throw new RpcError('PROVIDER_BUSY', `incomplete frames of all connections hold ${used} bytes; ${more} more would pass maxBufferedBytes ${limit}`);
    }
    if (more < 0) this.budget?.give(-more);
    this.buffered = bytes;
  }

  private prefixOfChunks(total: number): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= HEADER_BYTES) return first.readUInt32BE(0);
    return Buffer.concat(this.chunks, total).readUInt32BE(0);
  }

  private checkLength(length: number): number {
    if (length > this.maxFrameBytes) {
      this.stop();
      throw new RpcError('FRAME_TOO_LARGE', `the peer sent a frame of ${length} bytes, over the limit of ${this.maxFrameBytes}`);
    }
    return length;
  }
}
