import { isIPv4 } from 'node:net';
import { type ACL, type Id, Perms } from '@paddock/coord-protocol';

function ipv4Bytes(addr: string): number[] | null {
  return isIPv4(addr) ? addr.split('.').map(Number) : null;
}

/** Does the client address `client` fall inside the ACL's `addr[/bits]`? IPv4, as ZooKeeper 3.8. */
export function ipMatches(client: string, aclExpr: string): boolean {
  const [addr = '', bitsText] = aclExpr.split('/', 2);
  const want = ipv4Bytes(addr);
  const have = ipv4Bytes(client);
  if (!want || !have) return client === addr;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  for (let i = 0; i < 4; i++) {
    const maskBits = Math.max(0, Math.min(8, bits - i * 8));
    const mask = (0xff << (8 - maskBits)) & 0xff;
    if ((want[i]! & mask) !== (have[i]! & mask)) return false;
  }
  return true;
}

function idMatches(scheme: string, authId: string, aclId: string): boolean {
  if (scheme === 'ip') return ipMatches(authId, aclId);
  return authId === aclId;
}

/**
 * ZooKeeper's checkACL: allowed when the list is empty, when the caller authenticated as
 * super, or when an entry granting any bit of `perm` matches world:anyone or one of the
 * caller's ids.
 */
export function aclAllows(acl: readonly ACL[], perm: number, authInfo: readonly Id[]): boolean {
  if (acl.length === 0) return true;
  for (const a of authInfo) if (a.scheme === 'super') return true;
  for (const a of acl) {
    if ((a.perms & perm) === 0) continue;
    if (a.id.scheme === 'world' && a.id.id === 'anyone') return true;
    for (const mine of authInfo) {
      if (mine.scheme === a.id.scheme && idMatches(mine.scheme, mine.id, a.id.id)) return true;
    }
  }
  return false;
}

/** getACL hides digest hashes from callers without ADMIN, as ZooKeeper does. */
export function redactDigests(acl: readonly ACL[]): ACL[] {
  return acl.map((a) => (a.id.scheme === 'digest'
    ? { perms: a.perms, id: { scheme: 'digest', id: a.id.id.replace(/:.*/s, ':x') } }
    : a));
}

export { Perms };
