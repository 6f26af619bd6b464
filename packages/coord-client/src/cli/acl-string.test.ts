import { describe, expect, it } from 'vitest';
import { Perms } from '../index.js';
import { formatAclEntry, parseAcl, permString } from './acl-string.js';

describe('parseAcl', () => {
  it('reads the usual forms: the id is what lies between the first and the last colon', () => {
    expect(parseAcl('world:anyone:cdrwa')).toEqual({
      acl: [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }], problems: [],
    });
    expect(parseAcl('digest:user:hash:rw')).toEqual({
      acl: [{ perms: Perms.READ | Perms.WRITE, id: { scheme: 'digest', id: 'user:hash' } }], problems: [],
    });
    expect(parseAcl('ip:10.0.0.0/8:r')).toEqual({
      acl: [{ perms: Perms.READ, id: { scheme: 'ip', id: '10.0.0.0/8' } }], problems: [],
    });
    expect(parseAcl('auth::crwda')).toEqual({
      acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }], problems: [],
    });
  });

  it('reads several comma-separated entries, perms in any order', () => {
    expect(parseAcl('world:anyone:r,ip:127.0.0.1:adwc').acl).toEqual([
      { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
      { perms: Perms.ALL & ~Perms.READ, id: { scheme: 'ip', id: '127.0.0.1' } },
    ]);
    expect(parseAcl('world:anyone:r,').acl).toHaveLength(1);
  });

  it('names each malformed entry and each unknown perm letter in zkCli\'s words', () => {
    expect(parseAcl('bad').problems).toEqual(['bad does not have the form scheme:id:perm']);
    expect(parseAcl('world:anyone').problems).toEqual(['world:anyone does not have the form scheme:id:perm']);
    expect(parseAcl('').problems).toEqual([' does not have the form scheme:id:perm']);
    expect(parseAcl('world:anyone:rz').problems).toEqual(['Unknown perm type: z']);
    expect(parseAcl('digest:u:hash').problems).toEqual([
      'Unknown perm type: h', 'Unknown perm type: s', 'Unknown perm type: h',
    ]);
    const mixed = parseAcl('world:anyone:r,oops');
    expect(mixed.acl).toHaveLength(1);
    expect(mixed.problems).toEqual(['oops does not have the form scheme:id:perm']);
  });
});

describe('formatting ACLs', () => {
  it('writes perms in zkCli\'s order c, d, r, w, a', () => {
    expect(permString(Perms.ALL)).toBe('cdrwa');
    expect(permString(Perms.READ | Perms.WRITE | Perms.CREATE)).toBe('crw');
    expect(permString(0)).toBe('');
  });

  it('prints an entry as the Id in jute CSV form, then the perms', () => {
    expect(formatAclEntry({ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } })).toBe("'world,'anyone\n: cdrwa\n");
    expect(formatAclEntry({ perms: Perms.READ, id: { scheme: 'x', id: 'a,b%' } })).toBe("'x,'a%2Cb%25\n: r\n");
  });
});
