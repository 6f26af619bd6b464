import type { ACL, Id, WireRecord } from '@paddock/coord-protocol';
import { present } from '../base/wire-null.js';
import { authProvider } from './auth-providers.js';

type WireAcl = WireRecord<'ACL'>;

/**
 * Java's ACL.equals as jute generates it, called on `a`: perms, then scheme, then id, each
 * `a.field.equals(other.field)`, so a null in `a` throws once the comparison reaches it.
 */
function sameAcl(a: WireAcl, other: WireAcl): boolean {
  if (a.perms !== other.perms) return false;
  if (present(a.id.scheme, 'ACL scheme') !== other.id.scheme) return false;
  return present(a.id.id, 'ACL id') === other.id.id;
}

/** World:anyone alone, by perms (0-31): the list nearly every create carries, made once, not per request. */
const WORLD_ANYONE: (readonly ACL[] | undefined)[] = [];

function worldAnyoneList(perms: number): readonly ACL[] {
  return Object.freeze([Object.freeze({ perms, id: Object.freeze({ scheme: 'world', id: 'anyone' }) })]);
}

function worldAnyone(perms: number): readonly ACL[] {
  if (perms < 0 || perms > 31 || perms !== (perms | 0)) return worldAnyoneList(perms);
  return (WORLD_ANYONE[perms] ??= worldAnyoneList(perms));
}

/**
 * Validates an ACL list the way ZooKeeper's fixupACL does and expands the `auth` scheme to
 * the caller's authenticated ids. Returns null for an invalid list (InvalidACL); throws a
 * JuteError (MarshallingError) where ZooKeeper meets a null it does not expect.
 *
 * Nulls, as ZooKeeper 3.8 treats them: a null list is an empty one (InvalidACL); duplicates
 * are dropped first by comparing each entry with the ones kept before it (see sameAcl); a
 * null scheme is InvalidACL; the id of `auth` is never read, so `auth:null` (what kazoo
 * sends for `auth:''`) expands like any other; `world` and the digest and ip providers
 * dereference a null id (MarshallingError); an unknown scheme is InvalidACL before its id
 * is looked at.
 */
export function fixupAcl(acls: readonly WireAcl[] | null, authInfo: readonly Id[]): readonly ACL[] | null {
  if (acls?.length === 1) {
    const { perms, id } = acls[0]!;
    if (id.scheme === 'world' && id.id === 'anyone') return worldAnyone(perms);
  }
  const unique: WireAcl[] = [];
  for (const a of acls ?? []) {
    if (!unique.some((u) => sameAcl(a, u))) unique.push(a);
  }
  if (unique.length === 0) return null;
  const out: ACL[] = [];
  for (const a of unique) {
    const { scheme, id } = a.id;
    if (scheme === null) return null;
    if (scheme === 'world' && present(id, 'ACL id') === 'anyone') {
      out.push({ perms: a.perms, id: { scheme, id: 'anyone' } });
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
      if (!provider) return null;
      const valid = present(id, 'ACL id');
      if (!provider.isValid(valid)) return null;
      out.push({ perms: a.perms, id: { scheme, id: valid } });
    }
  }
  return out;
}
