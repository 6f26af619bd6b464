/**
 * ZooKeeper keeps a node's kind in its ephemeralOwner field: a session id for ephemerals,
 * Long.MIN_VALUE for containers, and 0xFF in the high byte plus the TTL for TTL nodes.
 * We store the same encoding so recovery needs no side tables.
 */
export const CONTAINER_OWNER = -0x8000000000000000n;
const TTL_MASK = 0xff00000000000000n;
const TTL_HIGH = -0x100000000000000n; // 0xFF00000000000000 as a signed 64-bit value
/** Largest TTL ZooKeeper accepts: the low 40 bits (EphemeralType.MAX_TTL). */
export const MAX_TTL = 0xffffffffff;

export function ttlOwner(ttl: number): bigint {
  return TTL_HIGH | BigInt(ttl);
}

export function ttlOf(owner: bigint): number | undefined {
  return (BigInt.asUintN(64, owner) & TTL_MASK) === TTL_MASK && owner !== CONTAINER_OWNER
    ? Number(BigInt.asUintN(64, owner) & 0xffffffffffn)
    : undefined;
}

/** A real session owner: neither 0, nor the container marker, nor a TTL encoding. */
export function isSessionOwner(owner: bigint): boolean {
  return owner !== 0n && owner !== CONTAINER_OWNER && ttlOf(owner) === undefined;
}
