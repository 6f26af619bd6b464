import { describe, expect, it } from 'vitest';
import { type ACL, JuteError } from '@paddock/coord-protocol';
import { fixupAcl } from './fixup-acl.js';

/** An entry as a client may send it: jute lets the scheme and the id be null. */
const entry = (perms: number, scheme: string | null, id: string | null) => ({ perms, id: { scheme, id } });
const alice: ACL['id'] = { scheme: 'digest', id: 'alice:h' };
const session = [{ scheme: 'ip', id: '127.0.0.1' }, alice];

describe('fixupAcl with the nulls a client may send', () => {
  it("expands auth whatever its id, null included (kazoo's auth:'')", () => {
    expect(fixupAcl([entry(31, 'auth', null)], session)).toEqual([{ perms: 31, id: alice }]);
    expect(fixupAcl([entry(31, 'auth', null), entry(1, 'auth', null)], session)).toEqual([{ perms: 31, id: alice }, { perms: 1, id: alice }]);
    expect(fixupAcl([entry(31, 'auth', null)], [session[0]!])).toBeNull();
  });

  it('is InvalidACL for a null list, a null scheme, or an unknown scheme before its id is read', () => {
    expect(fixupAcl(null, session)).toBeNull();
    expect(fixupAcl([entry(31, null, 'anyone')], session)).toBeNull();
    expect(fixupAcl([entry(31, 'nosuch', null)], session)).toBeNull();
    expect(fixupAcl([entry(31, 'world', 'anyone'), entry(1, null, 'anyone')], session)).toBeNull();
  });

  it('fails (MarshallingError) where ZooKeeper dereferences a null id or compares a null', () => {
    for (const scheme of ['world', 'digest', 'ip']) {
      expect(() => fixupAcl([entry(31, scheme, null)], session), scheme).toThrow(JuteError);
    }
    // Duplicates are looked for by comparing each entry, left hand side, with those kept before it.
    expect(() => fixupAcl([entry(31, 'world', 'anyone'), entry(31, null, 'anyone')], session)).toThrow(JuteError);
    expect(() => fixupAcl([entry(31, 'auth', null), entry(31, 'auth', null)], session)).toThrow(JuteError);
    expect(() => fixupAcl([entry(31, 'auth', ''), entry(31, 'auth', null)], session)).toThrow(JuteError);
    expect(fixupAcl([entry(31, 'auth', null), entry(31, 'auth', '')], session)).toEqual([{ perms: 31, id: alice }, { perms: 31, id: alice }]);
  });
});

describe('fixupAcl of world:anyone alone (nearly every create)', () => {
  it('is one shared, frozen list per perms, equal to what the general path makes', () => {
    const first = fixupAcl([entry(31, 'world', 'anyone')], session);
    expect(fixupAcl([entry(31, 'world', 'anyone')], [])).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first![0])).toBe(true);
    // The same entry twice goes the general way (duplicates dropped) and ends the same.
    expect(first).toEqual(fixupAcl([entry(31, 'world', 'anyone'), entry(31, 'world', 'anyone')], session));
    expect(fixupAcl([entry(1, 'world', 'anyone')], session)).toEqual([{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
    expect(fixupAcl([entry(1, 'world', 'anyone')], session)).not.toBe(first);
    // Perms outside 0-31 are kept as sent, on a list of their own.
    expect(fixupAcl([entry(-1, 'world', 'anyone')], session)).toEqual([{ perms: -1, id: { scheme: 'world', id: 'anyone' } }]);
  });
});
