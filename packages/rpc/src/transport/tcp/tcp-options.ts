import { OptionError } from '@paddock/edges';
import { HEADER_BYTES, MAX_FRAME_LIMIT } from '../wire/frame-codec.js';

/** Bounds and timings of the tcp transport; the same options serve providers and consumers. */
export interface TcpOptions {
  /** Largest frame body accepted or sent, in bytes; default 8 MiB. */
  readonly maxFrameBytes?: number;
  /** Calls in flight on one connection; default 10000. Beyond it calls fail with PROVIDER_BUSY. */
  readonly maxInFlight?: number;
  /**
   * What decoding one frame (or http body) may cost, as a multiple of its size; default 32. The
   * cost is estimated from the bytes before decoding (an empty Map costs ~260 bytes); a frame
   * over it is refused (a request: BAD_REQUEST; an answer: SERIALIZATION). Frames estimated
   * under 1 MiB always pass.
   */
  readonly maxDecodeRatio?: number;
  /** Provider: connections held at once; default 10000. Beyond it new connections are closed at once. */
  readonly maxConnections?: number;
  /**
   * Provider: bytes held in incomplete frames (or http bodies) over all connections; default
   * 256 MiB, or maxFrameBytes + 4 when that is larger. A connection whose next bytes would pass it
   * is closed. One connection holds at most one incomplete frame (maxFrameBytes).
   */
  readonly maxBufferedBytes?: number;
  /** A connection that has read nothing for this long sends a PING; default 10000 ms. */
  readonly heartbeatMs?: number;
  /** Intervals in a row without reading anything after which a connection is dead; default 3. */
  readonly heartbeatMisses?: number;
  /** Consumer: how long a connect may take; default 3000 ms. */
  readonly connectTimeoutMs?: number;
  /** Consumer: first delay before connecting again after a failure; default 100 ms, doubling. */
  readonly reconnectBaseMs?: number;
  /** Consumer: longest delay between connect attempts; default 5000 ms. */
  readonly reconnectMaxMs?: number;
}

export type ResolvedTcpOptions = { readonly [K in keyof TcpOptions]-?: number };

const DEFAULTS: ResolvedTcpOptions = {
  maxFrameBytes: 8 * 1024 * 1024,
  maxInFlight: 10_000,
  maxDecodeRatio: 32,
  maxConnections: 10_000,
  maxBufferedBytes: 256 * 1024 * 1024,
  heartbeatMs: 10_000,
  heartbeatMisses: 3,
  connectTimeoutMs: 3_000,
  reconnectBaseMs: 100,
  reconnectMaxMs: 5_000,
};

const RANGES: { readonly [K in keyof ResolvedTcpOptions]: readonly [min: number, max: number] } = {
  maxFrameBytes: [64, MAX_FRAME_LIMIT],
  maxInFlight: [1, 1_000_000],
  maxDecodeRatio: [1, 1_000_000],
  maxConnections: [1, 1_000_000],
  maxBufferedBytes: [64, Number.MAX_SAFE_INTEGER],
  heartbeatMs: [1, 3_600_000],
  heartbeatMisses: [1, 1000],
  connectTimeoutMs: [1, 600_000],
  reconnectBaseMs: [1, 600_000],
  reconnectMaxMs: [1, 3_600_000],
};

/** Applies defaults; a value out of range throws an OptionError naming the option. */
export function resolveTcpOptions(opts: TcpOptions = {}): ResolvedTcpOptions {
  const out: Record<string, number> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof ResolvedTcpOptions)[]) {
    const value = opts[key];
    const [min, max] = RANGES[key];
    if (value === undefined) out[key] = DEFAULTS[key];
    else if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) out[key] = value;
    else throw new OptionError(`tcp.${key}`, value, { message: `tcp option ${key} must be an integer in ${min}..${max}, got ${String(value)}` });
  }
  // One incomplete frame must fit in the buffer budget: the default grows with maxFrameBytes, a value given must.
  const oneFrame = (out.maxFrameBytes as number) + HEADER_BYTES;
  if (opts.maxBufferedBytes === undefined) out.maxBufferedBytes = Math.max(out.maxBufferedBytes as number, oneFrame);
  else if (opts.maxBufferedBytes < oneFrame) {
    const message = `tcp option maxBufferedBytes must be at least maxFrameBytes + ${HEADER_BYTES} (${oneFrame}), got ${opts.maxBufferedBytes}`;
    throw new OptionError('tcp.maxBufferedBytes', opts.maxBufferedBytes, { message });
  }
  return out as ResolvedTcpOptions;
}
