import type { ACL, Stat } from '@paddock/coord-client';
import { Perms } from '@paddock/coord-client';

/** 64-bit ids as ZooKeeper prints them: 0x and lower-case hex. */
const hex64 = (v: bigint): string => `0x${v.toString(16)}`;

/** Stat as JSON: zxids and the owner in hex as zkCli prints them, times as numbers. */
export function statJson(s: Stat) {
  return {
    czxid: hex64(BigInt(s.czxid)),
    mzxid: hex64(BigInt(s.mzxid)),
    pzxid: hex64(BigInt(s.pzxid)),
    ctime: Number(s.ctime),
    mtime: Number(s.mtime),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: hex64(BigInt(s.ephemeralOwner)),
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

const PERM_LETTERS: readonly [number, string][] = [
  [Perms.CREATE, 'c'], [Perms.DELETE, 'd'], [Perms.READ, 'r'], [Perms.WRITE, 'w'], [Perms.ADMIN, 'a'],
];

/** ACL entries as zkCli's getAcl shows them: scheme, id and the cdrwa letters. */
export function aclJson(acl: readonly ACL[]) {
  return acl.map((a) => ({
    scheme: a.id.scheme,
    id: a.id.id,
    perms: PERM_LETTERS.filter(([bit]) => (a.perms & bit) !== 0).map(([, l]) => l).join(''),
  }));
}
