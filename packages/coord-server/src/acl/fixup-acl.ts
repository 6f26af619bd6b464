import type { ACL, Id } from '@paddock/coord-protocol';
import { authProvider } from './auth-providers.js';

/**
 * Validates an ACL list the way ZooKeeper's fixupACL does and expands the `auth` scheme to
 * the caller's authenticated ids. Returns null for an invalid list (InvalidACL).
 */
export function fixupAcl(acls: readonly ACL[], authInfo: readonly Id[]): ACL[] | null {
  const unique: ACL[] = [];
  for (const a of acls) {
    if (!unique.some((u) => u.perms === a.perms && u.id.scheme === a.id.scheme && u.id.id === a.id.id)) unique.push(a);
  }
  if (unique.length === 0) return null;
  const out: ACL[] = [];
  for (const a of unique) {
    const { scheme, id } = a.id;
    if (scheme === 'world' && id === 'anyone') {
      out.push(a);
    } else if (scheme === 'auth') {
      let any = false;
      for (const cid of authInfo) {
        if (authProvider(cid.scheme)?.isAuthenticated) {
          any = true;
          out.push({ perms: a.perms, id: cid });
        }
      }
      if (!any) return null;
    } else {
      const provider = authProvider(scheme);
      if (!provider || !provider.isValid(id)) return null;
      out.push(a);
    }
  }
  return out;
}
