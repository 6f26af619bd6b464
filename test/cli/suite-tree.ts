import { describe, expect, it } from 'vitest';
import { Perms } from '@paddock/coord-client';
import { lines, type CliContext } from './suite-context.js';

/** delete, deleteall, sync, getEphemerals, getAllChildrenNumber. */
export function treeTests(ctx: CliContext): void {
  describe('delete', () => {
    it('deletes a node, printing nothing; -v deletes only at that version', async () => {
      const b = ctx.base;
      await ctx.zk.create(`${b}/a`);
      await ctx.zk.create(`${b}/v`, 'x');
      await ctx.zk.setData(`${b}/v`, 'y');
      expect(await ctx.cmd('delete', `${b}/a`)).toEqual({ out: '', err: '', code: 0 });
      expect(await ctx.cmd('delete', '-v', '0', `${b}/v`)).toEqual({ out: '', err: `version No is not valid : ${b}/v\n`, code: 1 });
      expect(await ctx.cmd('delete', '-v', '1', `${b}/v`)).toEqual({ out: '', err: '', code: 0 });
      expect(await ctx.zk.getChildren(b)).toEqual([]);
    });

    it('reports a node with children and a missing node; refuses bad arguments', async () => {
      const b = ctx.base;
      await ctx.zk.create(`${b}/a`);
      expect(await ctx.cmd('delete', b)).toEqual({ out: '', err: `Node not empty: ${b}\n`, code: 1 });
      expect(await ctx.cmd('delete', `${b}/nope`)).toEqual({ out: '', err: `Node does not exist: ${b}/nope\n`, code: 1 });
      expect(await ctx.once('delete')).toMatchObject({ err: 'delete [-v version] path\n', code: 1 });
      expect(await ctx.once('delete', '-v', 'x', `${b}/a`)).toMatchObject({ err: '-v argument must be an int value\n', code: 1 });
      expect(await ctx.once('delete', '-s', `${b}/a`)).toMatchObject({ err: 'Unrecognized option: -s\n', code: 1 });
      expect(await ctx.zk.getChildren(b)).toEqual(['a']);
    });
  });

  describe('deleteall', () => {
    it('deletes a node and everything below it, in one multi or in batches of -b', async () => {
      const b = ctx.base;
      for (const p of ['t', 't/a', 't/a/x', 't/b', 'u', 'u/a', 'u/a/b']) await ctx.zk.create(`${b}/${p}`);
      expect(await ctx.cmd('deleteall', `${b}/t`)).toEqual({ out: '', err: '', code: 0 });
      expect(await ctx.cmd('deleteall', `${b}/u`, '-b', '1')).toEqual({ out: '', err: '', code: 0 });
      expect(await ctx.zk.getChildren(b)).toEqual([]);
    });

    it('says when part of the subtree could not be deleted', async () => {
      const b = ctx.base;
      await ctx.zk.create(`${b}/p`, null, { acl: [{ perms: Perms.CREATE | Perms.READ | Perms.ADMIN, id: { scheme: 'world', id: 'anyone' } }] });
      await ctx.zk.create(`${b}/p/c`);
      expect(await ctx.cmd('deleteall', `${b}/p`)).toEqual({ out: '', err: 'Failed to delete some node(s) in the subtree!\n', code: 1 });
      expect(await ctx.zk.getChildren(`${b}/p`)).toEqual(['c']);
    });

    it('reports a missing node and refuses bad arguments', async () => {
      const b = ctx.base;
      expect(await ctx.cmd('deleteall', `${b}/nope`)).toEqual({ out: '', err: `Node does not exist: ${b}/nope\n`, code: 1 });
      expect(await ctx.once('deleteall')).toMatchObject({ err: 'deleteall path [-b batch size]\n', code: 1 });
      expect(await ctx.once('deleteall', b, '-b', 'x')).toMatchObject({ err: '-b argument must be an int value\n', code: 1 });
      expect(await ctx.once('deleteall', b, '-b')).toMatchObject({ err: 'Missing argument for option: b\n', code: 1 });
      expect(await ctx.cmd('deleteall', 'cli')).toMatchObject({ err: 'Path must start with / character\n', code: 1 });
      expect(await ctx.zk.exists(b)).not.toBeNull();
    });
  });

  describe('sync', () => {
    it('prints "Sync is OK"', async () => {
      expect(await ctx.cmd('sync', ctx.base)).toEqual({ out: 'Sync is OK\n', err: '', code: 0 });
    });

    it('refuses a missing or bad path', async () => {
      expect(await ctx.once('sync')).toMatchObject({ err: 'sync path\n', code: 1 });
      expect(await ctx.cmd('sync', 'x')).toEqual({ out: '', err: 'Path must start with / character\n', code: 1 });
    });
  });

  describe('getEphemerals', () => {
    it('lists the session\'s ephemerals, all or under a prefix, sorted', async () => {
      const b = ctx.base;
      await ctx.zk.create(`${b}/p`);
      const r = await ctx.shell(`create -e ${b}/p/e2`, `create -e ${b}/p/e1`, `create -e ${b}/x`,
        'getEphemerals', `getEphemerals ${b}/p`, `getEphemerals ${b}/nope`);
      const out = lines(r);
      const i = out.indexOf(`[${b}/p/e1, ${b}/p/e2, ${b}/x]`);
      expect(i).toBeGreaterThan(0);
      expect(out.slice(i + 1, i + 3)).toEqual([`[${b}/p/e1, ${b}/p/e2]`, '[]']);
      // A session without ephemerals (the one-shot's own) has none.
      expect(await ctx.cmd('getEphemerals')).toEqual({ out: '[]\n', err: '', code: 0 });
    });

    it('refuses a bad path', async () => {
      expect(await ctx.cmd('getEphemerals', 'x')).toEqual({ out: '', err: 'Path must start with / character\n', code: 1 });
    });
  });

  describe('getAllChildrenNumber', () => {
    it('counts the nodes below a node, at any depth', async () => {
      const b = ctx.base;
      for (const p of ['a', 'a/x', 'a/x/y', 'b']) await ctx.zk.create(`${b}/${p}`);
      expect(await ctx.cmd('getAllChildrenNumber', b)).toEqual({ out: '4\n', err: '', code: 0 });
      expect(await ctx.cmd('getAllChildrenNumber', `${b}/b`)).toEqual({ out: '0\n', err: '', code: 0 });
    });

    it('reports a missing node and refuses a missing path', async () => {
      expect(await ctx.cmd('getAllChildrenNumber', `${ctx.base}/nope`)).toMatchObject({
        err: `Node does not exist: ${ctx.base}/nope\n`, code: 1,
      });
      expect(await ctx.once('getAllChildrenNumber')).toMatchObject({ err: 'getAllChildrenNumber path\n', code: 1 });
    });
  });
}
