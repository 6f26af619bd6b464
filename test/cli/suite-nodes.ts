import { describe, expect, it } from 'vitest';
import { Perms } from '@paddock/coord-client';
import { JAVA_DATE, STAT_KEYS, hex, lines, statOf, type CliContext } from './suite-context.js';

/** ls, get, stat, set, create: what they print, on which stream, and their refusals. */
export function readWriteTests(ctx: CliContext): void {
  describe('ls', () => {
    it('prints the children sorted, as a Java list', async () => {
      for (const n of ['b', 'c', 'a']) await ctx.zk.create(`${ctx.base}/${n}`);
      expect(await ctx.cmd('ls', ctx.base)).toEqual({ out: '[a, b, c]\n', err: '', code: 0 });
      expect(await ctx.cmd('ls', `${ctx.base}/a`)).toEqual({ out: '[]\n', err: '', code: 0 });
    });

    it('-s adds the stat block', async () => {
      await ctx.zk.create(`${ctx.base}/a`);
      const { out, code } = await ctx.cmd('ls', '-s', ctx.base);
      expect(code).toBe(0);
      expect(out.split('\n').slice(0, 12).map((l) => l.split(' = ')[0])).toEqual(['[a]', ...STAT_KEYS]);
      const st = await ctx.zk.exists(ctx.base);
      expect(statOf(out)).toMatchObject({ numChildren: '1', cversion: '1', cZxid: hex(st!.czxid), pZxid: hex(st!.pzxid) });
      expect(statOf(out).ctime).toMatch(JAVA_DATE);
    });

    it('-R prints the subtree: the node, then level by level each node\'s sorted children', async () => {
      for (const p of ['b', 'a', 'a/y', 'a/x', 'b/z']) await ctx.zk.create(`${ctx.base}/${p}`);
      const { out } = await ctx.cmd('ls', '-R', ctx.base);
      expect(out).toBe(['', '/a', '/b', '/a/x', '/a/y', '/b/z'].map((p) => `${ctx.base}${p}\n`).join(''));
    });

    it('-w and the old "ls path watch" form set a child watch that prints when it fires', async () => {
      const b = ctx.base;
      const r = await ctx.shell(`ls -w ${b}`, `create ${b}/n`, `sync ${b}`, `ls ${b} watch`, `create ${b}/m`, `sync ${b}`);
      expect(r.err).toContain("'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.\n");
      expect(r.all.match(new RegExp(`WATCHER::\n\nWatchedEvent state:SyncConnected type:NodeChildrenChanged path:${b}\n`, 'g'))).toHaveLength(2);
    });

    it('refuses a missing path, unknown options, bad paths and missing nodes', async () => {
      expect(await ctx.once('ls')).toMatchObject({ err: 'ls [-s] [-w] [-R] path\n', code: 1 });
      expect(await ctx.once('ls', '-x', '/')).toMatchObject({ err: 'Unrecognized option: -x\n', code: 1 });
      expect(await ctx.cmd('ls', 'x')).toEqual({ out: '', err: 'Path must start with / character\n', code: 1 });
      expect(await ctx.cmd('ls', `${ctx.base}/`)).toEqual({ out: '', err: 'Path must not end with / character\n', code: 1 });
      expect(await ctx.cmd('ls', '-R', `${ctx.base}/nope`)).toMatchObject({ err: `Node does not exist: ${ctx.base}/nope\n`, code: 1 });
      expect(await ctx.cmd('ls', '-s', `${ctx.base}/nope`)).toMatchObject({ err: `Node does not exist: ${ctx.base}/nope\n`, code: 1 });
    });
  });

  describe('get', () => {
    it('prints the data; "null" for null data, an empty line for empty data', async () => {
      await ctx.zk.create(`${ctx.base}/d`, 'hello world');
      await ctx.zk.create(`${ctx.base}/n`);
      await ctx.zk.create(`${ctx.base}/e`, '');
      expect(await ctx.cmd('get', `${ctx.base}/d`)).toEqual({ out: 'hello world\n', err: '', code: 0 });
      expect(await ctx.cmd('get', `${ctx.base}/n`)).toEqual({ out: 'null\n', err: '', code: 0 });
      expect(await ctx.cmd('get', `${ctx.base}/e`)).toEqual({ out: '\n', err: '', code: 0 });
    });

    it('-s adds the stat block after the data', async () => {
      await ctx.zk.create(`${ctx.base}/d`, 'v0');
      await ctx.zk.setData(`${ctx.base}/d`, 'v1!');
      const { out } = await ctx.cmd('get', '-s', `${ctx.base}/d`);
      expect(out.split('\n')[0]).toBe('v1!');
      expect(statOf(out)).toMatchObject({ dataVersion: '1', dataLength: '3', numChildren: '0', ephemeralOwner: '0x0' });
      expect(statOf(out).mtime).toMatch(JAVA_DATE);
    });

    it('-w (and "get path watch") sets a data watch; bundled -sw works too', async () => {
      const p = `${ctx.base}/d`;
      await ctx.zk.create(p, 'a');
      const r = await ctx.shell(`get -sw ${p}`, `set ${p} b`, `sync ${p}`, `get ${p} watch`, `set ${p} c`, `sync ${p}`);
      expect(r.err).toContain("'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.\n");
      expect(r.all.match(new RegExp(`WatchedEvent state:SyncConnected type:NodeDataChanged path:${p}\n`, 'g'))).toHaveLength(2);
    });

    it('refuses a missing path and reports a missing node', async () => {
      expect(await ctx.once('get')).toMatchObject({ err: 'get [-s] [-w] path\n', code: 1 });
      expect(await ctx.cmd('get', `${ctx.base}/nope`)).toEqual({ out: '', err: `Node does not exist: ${ctx.base}/nope\n`, code: 1 });
      expect(await ctx.cmd('get', '-s', '')).toEqual({ out: '', err: 'Path length must be > 0\n', code: 1 });
    });
  });

  describe('stat', () => {
    it('prints the stat block of a node', async () => {
      await ctx.zk.create(`${ctx.base}/a`, 'xyz');
      const { out, code } = await ctx.cmd('stat', ctx.base);
      expect(code).toBe(0);
      expect(out.trimEnd().split('\n').map((l) => l.split(' = ')[0])).toEqual(STAT_KEYS);
      expect(statOf(out)).toMatchObject({ numChildren: '1', dataLength: '0', dataVersion: '0', aclVersion: '0' });
    });

    it('-w on a missing node reports it and prints NodeCreated when it appears; "stat path watch" too', async () => {
      const p = `${ctx.base}/later`;
      const r = await ctx.shell(`stat -w ${p}`, `create ${p}`, `sync ${p}`, `stat ${p} w`, `set ${p} x`, `sync ${p}`);
      expect(r.err).toContain(`Node does not exist: ${p}\n`);
      expect(r.err).toContain("'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.\n");
      expect(r.all).toContain(`WatchedEvent state:SyncConnected type:NodeCreated path:${p}\n`);
      expect(r.all).toContain(`WatchedEvent state:SyncConnected type:NodeDataChanged path:${p}\n`);
    });

    it('refuses a missing path and reports a missing node', async () => {
      expect(await ctx.once('stat')).toMatchObject({ err: 'stat [-w] path\n', code: 1 });
      expect(await ctx.once('stat', '-s', '/')).toMatchObject({ err: 'Unrecognized option: -s\n', code: 1 });
      expect(await ctx.cmd('stat', `${ctx.base}/nope`)).toEqual({ out: '', err: `Node does not exist: ${ctx.base}/nope\n`, code: 1 });
    });
  });

  describe('set', () => {
    it('sets the data, printing nothing; -s prints the new stat', async () => {
      const p = `${ctx.base}/d`;
      await ctx.zk.create(p, 'a');
      expect(await ctx.cmd('set', p, 'hello world')).toEqual({ out: '', err: '', code: 0 });
      expect((await ctx.zk.getData(p)).data.toString()).toBe('hello world');
      const { out } = await ctx.cmd('set', '-s', p, 'c');
      expect(statOf(out)).toMatchObject({ dataVersion: '2', dataLength: '1' });
    });

    it('-v sets only at that version (-1 = any), in any of the forms zkCli takes', async () => {
      const p = `${ctx.base}/d`;
      await ctx.zk.create(p, 'a');
      expect(await ctx.cmd('set', '-v', '0', p, 'b')).toMatchObject({ code: 0 });
      expect(await ctx.cmd('set', '-v1', p, 'c')).toMatchObject({ code: 0 });
      expect(await ctx.cmd('set', p, 'd', '-v', '+2')).toMatchObject({ code: 0 });
      expect(await ctx.cmd('set', '-v', '-1', p, 'e')).toMatchObject({ code: 0 });
      expect(await ctx.cmd('set', '-v', '9', p, 'f')).toEqual({ out: '', err: `version No is not valid : ${p}\n`, code: 1 });
      expect((await ctx.zk.getData(p)).stat.version).toBe(4);
    });

    it('refuses missing arguments, a non-numeric version and missing nodes', async () => {
      const p = `${ctx.base}/d`;
      expect(await ctx.once('set', p)).toMatchObject({ err: 'set [-s] [-v version] path data\n', code: 1 });
      expect(await ctx.once('set', '-v', 'abc', p, 'x')).toMatchObject({ err: '-v argument must be an int value\n', code: 1 });
      expect(await ctx.once('set', '-v', '2.0', p, 'x')).toMatchObject({ err: '-v argument must be an int value\n', code: 1 });
      expect(await ctx.once('set', p, 'x', '-v')).toMatchObject({ err: 'Missing argument for option: v\n', code: 1 });
      expect(await ctx.once('set', p, '-1')).toMatchObject({ err: 'Unrecognized option: -1\n', code: 1 });
      expect(await ctx.cmd('set', p, 'x')).toEqual({ out: '', err: `Node does not exist: ${p}\n`, code: 1 });
    });
  });

  describe('create', () => {
    it('prints "Created <path>" on stderr; data is optional (null without it)', async () => {
      const b = ctx.base;
      expect(await ctx.cmd('create', `${b}/a`, 'x y')).toEqual({ out: '', err: `Created ${b}/a\n`, code: 0 });
      expect(await ctx.cmd('create', `${b}/n`)).toEqual({ out: '', err: `Created ${b}/n\n`, code: 0 });
      expect((await ctx.zk.getData(`${b}/a`)).data.toString()).toBe('x y');
      expect((await ctx.zk.getData(`${b}/n`)).nullData).toBe(true);
    });

    it('-s appends the sequence number; a sequential path may end in "/"', async () => {
      const b = ctx.base;
      expect((await ctx.cmd('create', '-s', `${b}/s`, 'd')).err).toBe(`Created ${b}/s0000000000\n`);
      expect((await ctx.cmd('create', '-s', `${b}/`)).err).toBe(`Created ${b}/0000000001\n`);
      expect((await ctx.cmd('create', '-s', `${b}//`)).err).toBe(`Invalid path string "${b}//1" caused by empty node name specified @${b.length + 1}\n`);
    });

    it('-e and -s -e create ephemerals of the shell\'s session, gone when it ends', async () => {
      const b = ctx.base;
      const r = await ctx.shell(`create -e ${b}/e`, `create -s -e ${b}/q`, `stat ${b}/e`, 'getEphemerals');
      expect(r.err).toBe(`Created ${b}/e\nCreated ${b}/q0000000001\n`);
      expect(statOf(r.out).ephemeralOwner).toMatch(/^0x[1-9a-f][0-9a-f]*$/);
      expect(lines(r)).toContain(`[${b}/e, ${b}/q0000000001]`);
      expect(await ctx.zk.getChildren(b)).toEqual([]);
    });

    it('-c creates a container and -t a TTL node (alone or sequential)', async () => {
      const b = ctx.base;
      expect(await ctx.cmd('create', '-c', `${b}/c`)).toMatchObject({ err: `Created ${b}/c\n`, code: 0 });
      expect(await ctx.cmd('create', '-t', '600000', `${b}/t`, 'v')).toMatchObject({ err: `Created ${b}/t\n`, code: 0 });
      expect(await ctx.cmd('create', '-s', '-t', '+600000', `${b}/ts`)).toMatchObject({ err: `Created ${b}/ts0000000002\n`, code: 0 });
      expect((await ctx.zk.getChildren(b)).sort()).toEqual(['c', 't', 'ts0000000002']);
    });

    it('takes an ACL as the third argument', async () => {
      const b = ctx.base;
      expect((await ctx.cmd('create', `${b}/r`, 'x', 'world:anyone:r')).code).toBe(0);
      expect((await ctx.zk.getACL(`${b}/r`)).acl).toEqual([{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }]);
      expect((await ctx.cmd('create', `${b}/two`, 'x', 'world:anyone:cdrwa,ip:127.0.0.1:r')).code).toBe(0);
      expect((await ctx.zk.getACL(`${b}/two`)).acl).toHaveLength(2);
      expect((await ctx.cmd('create', `${b}/dg`, 'x', 'digest:user:hash:rw,world:anyone:r')).code).toBe(0);
      expect((await ctx.zk.getACL(`${b}/dg`)).acl[0]).toMatchObject({ perms: Perms.READ | Perms.WRITE, id: { scheme: 'digest' } });
      expect((await ctx.cmd('create', `${b}/ip`, 'x', 'ip:10.0.0.0/8:r')).code).toBe(0);
      expect(await ctx.cmd('get', `${b}/ip`)).toMatchObject({ err: `Insufficient permission : ${b}/ip\n`, code: 1 });
    });

    it('reports existing nodes, missing parents and ephemeral parents', async () => {
      const b = ctx.base;
      expect(await ctx.cmd('create', b)).toEqual({ out: '', err: `Node already exists: ${b}\n`, code: 1 });
      expect(await ctx.cmd('create', `${b}/x/y`)).toEqual({ out: '', err: `Node does not exist: ${b}/x/y\n`, code: 1 });
      const r = await ctx.shell(`create -e ${b}/e`, `create ${b}/e/child`);
      expect(r.err).toBe(`Created ${b}/e\nEphemerals cannot have children: ${b}/e/child\n`);
      expect(r.code).toBe(1);
    });

    it('refuses bad flag combinations, TTLs and paths with zkCli\'s messages', async () => {
      const b = ctx.base;
      const refusals: [string[], string][] = [
        [['create'], 'create [-s] [-e] [-c] [-t ttl] path [data] [acl]'],
        [['create', '-c', '-e', `${b}/x`], '-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.'],
        [['create', '-s', '-c', `${b}/x`], '-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.'],
        [['create', '-t', 'abc', `${b}/x`], '-t argument must be a long value'],
        [['create', '-t', '0', `${b}/x`], 'ttl must be positive and cannot be larger than: 1099511627775'],
        [['create', '-t', '1099511627776', `${b}/x`], 'ttl must be positive and cannot be larger than: 1099511627775'],
        [['create', '-e', '-t', '5', `${b}/x`], 'TTLs cannot be used with Ephemeral znodes'],
        [['create', '-c', '-t', '5', `${b}/x`], 'TTLs cannot be used with Container znodes'],
        [['create', '-t'], 'Missing argument for option: t'],
        [['create', '-q', `${b}/x`], 'Unrecognized option: -q'],
        [['create', 'x'], 'Path must start with / character'],
        [['create', `${b}/.`], `Invalid path string "${b}/." caused by relative paths not allowed @${b.length + 1}`],
      ];
      for (const [args, message] of refusals) {
        const r = await ctx.once(...args);
        expect({ args, err: r.err, code: r.code }).toEqual({ args, err: `${message}\n`, code: 1 });
      }
      expect(await ctx.zk.getChildren(b)).toEqual([]);
    });

    it('refuses a bad ACL string, naming each problem, and creates nothing', async () => {
      const b = ctx.base;
      expect(await ctx.cmd('create', `${b}/a`, 'x', 'bad')).toEqual({
        out: '', code: 1,
        err: 'bad does not have the form scheme:id:perm\nKeeperErrorCode = InvalidACL\nAcl is not valid : null\n',
      });
      expect(await ctx.cmd('create', `${b}/a`, 'x', 'world:anyone:rz')).toEqual({
        out: '', code: 1, err: 'Unknown perm type: z\nKeeperErrorCode = InvalidACL\nAcl is not valid : null\n',
      });
      expect(await ctx.cmd('create', `${b}/a`, 'x', 'world:anyone:r,oops')).toMatchObject({
        err: expect.stringContaining('oops does not have the form scheme:id:perm\n'), code: 1,
      });
      expect(await ctx.zk.getChildren(b)).toEqual([]);
    });

    it('reports an ACL the server refuses as zkCli does', async () => {
      const p = `${ctx.base}/au`;
      expect(await ctx.cmd('create', p, 'x', 'auth::cdrwa')).toEqual({
        out: '', err: `KeeperErrorCode = InvalidACL for ${p}\nAcl is not valid : ${p}\n`, code: 1,
      });
    });
  });

  it('create and get round-trip data with quotes and blanks typed in the shell', async () => {
    const b = ctx.base;
    const r = await ctx.shell(`create ${b}/q "hello world"`, `create ${b}/e ""`, `create ${b}/s 'it"s'`, `create ${b}/u "abc`,
      `get ${b}/q`, `get ${b}/e`, `get ${b}/s`, `get ${b}/u`);
    const out = lines(r);
    const i = out.indexOf('hello world');
    expect(out.slice(i, i + 4)).toEqual(['hello world', '', 'it"s', 'abc']);
    expect((await ctx.zk.getData(`${b}/e`)).nullData).toBe(false);
  });
}
