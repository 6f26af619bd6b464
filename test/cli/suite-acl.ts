import { describe, expect, it } from 'vitest';
import { Perms } from '@paddock/coord-client';
import { lines, statOf, type CliContext } from './suite-context.js';

const OPEN = "'world,'anyone\n: cdrwa\n";

/** getAcl, setAcl, addauth, whoami. */
export function aclTests(ctx: CliContext): void {
  describe('getAcl', () => {
    it('prints each entry as zkCli does; -s adds the stat block', async () => {
      const p = `${ctx.base}/two`;
      await ctx.zk.create(p, 'x', { acl: [
        { perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } },
        { perms: Perms.READ | Perms.WRITE | Perms.CREATE, id: { scheme: 'ip', id: '127.0.0.1' } },
      ] });
      expect(await ctx.cmd('getAcl', p)).toEqual({ out: `${OPEN}'ip,'127.0.0.1\n: crw\n`, err: '', code: 0 });
      const { out } = await ctx.cmd('getAcl', '-s', ctx.base);
      expect(out.startsWith(`${OPEN}cZxid = `)).toBe(true);
      expect(statOf(out)).toMatchObject({ aclVersion: '0', numChildren: '1' });
    });

    it('reports missing nodes and nodes it may not read; refuses a missing path', async () => {
      const p = `${ctx.base}/ip`;
      await ctx.zk.create(p, 'x', { acl: [{ perms: Perms.READ, id: { scheme: 'ip', id: '10.0.0.0/8' } }] });
      expect(await ctx.cmd('getAcl', p)).toEqual({ out: '', err: `Insufficient permission : ${p}\n`, code: 1 });
      expect(await ctx.cmd('getAcl', `${ctx.base}/nope`)).toEqual({ out: '', err: `Node does not exist: ${ctx.base}/nope\n`, code: 1 });
      expect(await ctx.once('getAcl')).toMatchObject({ err: 'getAcl [-s] path\n', code: 1 });
    });
  });

  describe('setAcl', () => {
    it('sets the ACL, printing nothing; -s prints the stat; -v only at that ACL version', async () => {
      const p = `${ctx.base}/n`;
      await ctx.zk.create(p);
      expect(await ctx.cmd('setAcl', p, 'world:anyone:ra')).toEqual({ out: '', err: '', code: 0 });
      expect((await ctx.zk.getACL(p)).acl).toEqual([{ perms: Perms.READ | Perms.ADMIN, id: { scheme: 'world', id: 'anyone' } }]);
      expect(await ctx.cmd('setAcl', '-v', '0', p, 'world:anyone:cdrwa')).toEqual({ out: '', err: `version No is not valid : ${p}\n`, code: 1 });
      const { out, code } = await ctx.cmd('setAcl', '-s', '-v', '1', p, 'world:anyone:cdrwa');
      expect(code).toBe(0);
      expect(statOf(out)).toMatchObject({ aclVersion: '2' });
      expect(await ctx.cmd('set', p, 'x')).toMatchObject({ code: 0 });
    });

    it('-R sets the ACL on the whole subtree', async () => {
      const b = ctx.base;
      for (const p of ['a', 'a/x', 'b']) await ctx.zk.create(`${b}/${p}`);
      expect(await ctx.cmd('setAcl', '-R', b, 'world:anyone:rca')).toEqual({ out: '', err: '', code: 0 });
      for (const p of [b, `${b}/a`, `${b}/a/x`, `${b}/b`]) {
        expect((await ctx.zk.getACL(p)).acl[0]?.perms, p).toBe(Perms.READ | Perms.CREATE | Perms.ADMIN);
      }
    });

    it('-R goes on past nodes it may not change, printing their errors as zkCli does', async () => {
      const b = ctx.base;
      const noAdmin = [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];
      await ctx.zk.create(`${b}/a`, null, { acl: noAdmin });
      await ctx.zk.create(`${b}/b`);
      const r = await ctx.cmd('setAcl', '-R', b, 'world:anyone:cdrwa');
      expect(r).toEqual({ out: `KeeperErrorCode = NoAuth for ${b}/a`, err: '', code: 0 });
      expect((await ctx.zk.getACL(`${b}/b`)).stat.aversion).toBe(1);
    });

    it('refuses a bad ACL string, a missing ACL and a non-numeric version', async () => {
      const p = `${ctx.base}/n`;
      await ctx.zk.create(p);
      expect(await ctx.cmd('setAcl', p, 'bad')).toEqual({
        out: '', err: 'bad does not have the form scheme:id:perm\nAcl is not valid : null\n', code: 1,
      });
      expect(await ctx.cmd('setAcl', p, 'world:anyone:rx')).toEqual({
        out: '', err: 'Unknown perm type: x\nAcl is not valid : null\n', code: 1,
      });
      expect(await ctx.once('setAcl', p)).toMatchObject({ err: 'setAcl [-s] [-v version] [-R] path acl\n', code: 1 });
      expect(await ctx.once('setAcl', '-v', 'one', p, 'world:anyone:r')).toMatchObject({ err: '-v argument must be an int value\n', code: 1 });
      expect(await ctx.cmd('setAcl', `${ctx.base}/nope`, 'world:anyone:r')).toMatchObject({
        err: `Node does not exist: ${ctx.base}/nope\n`, code: 1,
      });
      expect((await ctx.zk.getACL(p)).stat.aversion).toBe(0);
    });
  });

  describe('addauth and whoami', () => {
    it('whoami lists the session\'s identities', async () => {
      expect(await ctx.cmd('whoami')).toEqual({ out: 'Auth scheme: User\nip: 127.0.0.1\n', err: '', code: 0 });
    });

    it('addauth adds digest credentials that whoami shows and auth ACLs use', async () => {
      const p = `${ctx.base}/au`;
      const r = await ctx.shell('addauth digest u:p', 'whoami', `create ${p} x auth::cdrwa`, `getAcl ${p}`, `get ${p}`);
      expect(r.code).toBe(0);
      const out = lines(r);
      expect(out).toContain('digest: u');
      expect(out).toContain("'digest,'u:Jq7wMyA/w2Vd5WIDAKdu4OIIFEQ=");
      expect(out).toContain('x');
      expect(await ctx.cmd('get', p)).toMatchObject({ err: `Insufficient permission : ${p}\n`, code: 1 });
    });

    it('a refused addauth ends the session: AuthFailed, then "Not connected"', async () => {
      const r = await ctx.shell('addauth nosuchscheme x', 'ls /');
      expect(r.all).toContain('WatchedEvent state:AuthFailed type:None path:null\n');
      expect(lines(r)).toContain('Not connected');
    });

    it('addauth refuses a missing scheme', async () => {
      expect(await ctx.once('addauth')).toMatchObject({ err: 'addauth scheme auth\n', code: 1 });
    });
  });
}
