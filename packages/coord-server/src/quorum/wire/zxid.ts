import { checkOption } from '@paddock/edges';
import { QuorumWireError } from './quorum-wire-error.js';

const TWO_32 = 4294967296;
/** Epochs stay below 2^21 so that epoch << 32 | counter is an exact JS number. */
const MAX_EPOCH = 2 ** 21 - 1;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The zxid that starts `epoch` (or any counter in it): epoch << 32 | counter, by multiplication. */
export function makeZxid(epoch: number, counter = 0): number {
  return checkOption.int('epoch', epoch, 0, MAX_EPOCH) * TWO_32 + checkOption.int('zxid counter', counter, 0, TWO_32 - 1);
}

/** The epoch half of a zxid (ZooKeeper's ZxidUtils.getEpochFromZxid); -1 stays -1 as there. */
export function epochOf(zxid: number): number {
  return Math.floor(zxid / TWO_32);
}

/** A 64-bit value as a number, or a QuorumWireError naming `what` and the value in hex. */
export function safeLong(v: bigint, what: string): number {
  if (v < MIN_SAFE || v > MAX_SAFE) {
    throw new QuorumWireError(`${what} is 0x${BigInt.asUintN(64, v).toString(16)}, outside JS safe integers`);
  }
  return Number(v);
}
