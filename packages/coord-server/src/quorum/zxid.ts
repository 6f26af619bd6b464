/**
 * A zxid is ZooKeeper's 64-bit transaction id: the leader's epoch in the high 32 bits and a
 * counter in the low 32. Ours are JS numbers, so the epoch stays below 2^21 (epoch × 2^32 +
 * counter must be a safe integer); arithmetic is by multiplication, never by `<<`, which would
 * cut the number to 32 bits.
 */
const TWO_32 = 2 ** 32;

/** The largest epoch whose zxids are all safe integers. */
export const MAX_EPOCH = 2 ** 21 - 1;

export function epochOf(zxid: number): number {
  return Math.floor(zxid / TWO_32);
}

export function counterOf(zxid: number): number {
  return zxid % TWO_32;
}

/** The zxid of `counter` in `epoch`; a RangeError names the part out of range. */
export function makeZxid(epoch: number, counter = 0): number {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) throw new RangeError(`zxid epoch ${epoch} is outside 0..${MAX_EPOCH}`);
  if (!Number.isInteger(counter) || counter < 0 || counter >= TWO_32) throw new RangeError(`zxid counter ${counter} is outside 0..0xffffffff`);
  return epoch * TWO_32 + counter;
}
