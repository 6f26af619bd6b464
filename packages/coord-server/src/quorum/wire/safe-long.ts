import type { JuteReader } from '@paddock/coord-protocol';
import { QuorumWireError } from './quorum-wire-error.js';

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A 64-bit value our model keeps as a JS number (zxids, times, TTLs, server ids), or a
 * QuorumWireError naming `what` and its exact bits: refused rather than read wrong.
 */
export function safeLong(v: bigint, what: string): number {
  if (v < MIN_SAFE || v > MAX_SAFE) {
    throw new QuorumWireError(`${what} is 0x${BigInt.asUintN(64, v).toString(16)}, outside JS safe integers`);
  }
  return Number(v);
}

/** A value's name, built only when an error needs it. */
function named(what: string | (() => string)): string {
  return typeof what === 'string' ? what : what();
}

/** A high word within ±2^21: high * 2^32 + low is then exact, so no BigInt is needed to check it. */
const SAFE_HIGH = 0x200000;
const TWO_32 = 4294967296;

/**
 * The 64-bit big-endian value at buf[at], as safeLong, read from its two words: no BigInt for
 * the values that fit (all of them, but for a bad peer), and `what` is only built to name one
 * that does not.
 */
export function safeLongAt(buf: Buffer, at: number, what: string | (() => string)): number {
  const high = buf.readInt32BE(at);
  if (high >= -SAFE_HIGH && high < SAFE_HIGH) {
    const v = high * TWO_32 + buf.readUInt32BE(at + 4);
    if (Number.isSafeInteger(v)) return v;
  }
  return safeLong(buf.readBigInt64BE(at), named(what));
}

/** The next jute long of `r`, as safeLong. */
export function readSafeLong(r: JuteReader, what: string | (() => string)): number {
  if (r.remaining < 8) return safeLong(r.id(), named(what));
  const v = safeLongAt(r.buf, r.offset, what);
  r.offset += 8;
  return v;
}
