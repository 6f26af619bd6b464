import { type ACL, type Id, Perms } from '@paddock/coord-protocol';
import { inRange, parseIpRange } from './ip-address.js';

/** Does the client address `client` fall inside the ACL's `addr[/bits]`? IPv4, as ZooKeeper 3.8. */
function ipMatches(client: string, aclExpr: string): boolean {
  const range = parseIpRange(aclExpr);
  return range !== null && inRange(client, range);
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

/**
 * ZooKeeper's `replaceAll(":.*", ":x")`: Java's `.` stops at line terminators, so each line's
 * tail after a colon becomes `x` and the line breaks stay.
 */
const DIGEST_SECRET = /:[^\n\r\u0085\u2028\u2029]*/g;

/** getACL hides digest hashes from callers without ADMIN, as ZooKeeper does. */
export function redactDigests(acl: readonly ACL[]): ACL[] {
  return acl.map((a) => (a.id.scheme === 'digest'
    ? { perms: a.perms, id: { scheme: 'digest', id: a.id.id.replace(DIGEST_SECRET, ':x') } }
    : a));
}
