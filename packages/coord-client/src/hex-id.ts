/** Session ids as ZooKeeper logs them: unsigned hex. */
export function hexId(id: bigint): string {
  return `0x${BigInt.asUintN(64, id).toString(16)}`;
}
