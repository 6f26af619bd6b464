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

/** The next jute long of `r`, as safeLong. */
export function readSafeLong(r: JuteReader, what: string): number {
  return safeLong(r.id(), what);
}
