import { describe, expect, it } from 'vitest';
import { aclAllows, redactDigests } from './check-acl.js';

const digest = (id: string) => ({ perms: 31, id: { scheme: 'digest', id } });

describe('checkACL', () => {
  it('grants on any matching bit; super and an empty list pass everything', () => {
    const acl = [{ perms: 1 | 16, id: { scheme: 'ip', id: '127.0.0.0/8' } }, digest('alice:h')];
    const local = [{ scheme: 'ip', id: '127.0.0.1' }];
    expect([aclAllows(acl, 1, local), aclAllows(acl, 2, local), aclAllows(acl, 1 | 2, local)]).toEqual([true, false, true]);
    expect(aclAllows(acl, 2, [...local, { scheme: 'digest', id: 'alice:h' }])).toBe(true);
    expect(aclAllows(acl, 2, [{ scheme: 'super', id: '' }])).toBe(true);
    expect(aclAllows([], 2, [])).toBe(true);
  });
});

describe('getACL redaction', () => {
  it('replaces what follows each colon up to a line break, as Java replaceAll(":.*", ":x")', () => {
    const ids = ['alice:h', ':h', 'a:b::', 'u:ab\ncd', 'v:p\r\nq', 'w:p\u0085q', 'y:p\u2028q', 'z:p\tq'];
    expect(redactDigests(ids.map(digest)).map((a) => a.id.id)).toEqual(['alice:x', ':x', 'a:x', 'u:x\ncd', 'v:x\r\nq', 'w:x\u0085q', 'y:x\u2028q', 'z:x']);
    expect(redactDigests([{ perms: 1, id: { scheme: 'ip', id: '1.2.3.4' } }])[0]!.id.id).toBe('1.2.3.4');
  });
});
