import { describe, expect, it } from 'vitest';
import { Code, CreateMode, CoordClient, Ids, KeeperError, Perms } from '@paddock/coord-client';
import { freePort } from '../support/ports.js';
import type { SuiteContext } from './suite-context.js';
import { stateReached } from './waiting.js';

/** Awaits a promise expected to fail and returns its KeeperError. */
export async function keeperFailure(p: Promise<unknown>): Promise<KeeperError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof KeeperError)) throw new Error(`expected a KeeperError, got ${String(err)}`);
  return err;
}

export function sessionAndCrudTests(ctx: SuiteContext): void {
  describe('session', () => {
    it('connects and exposes the session', async () => {
      const c = await ctx.connect({ sessionTimeout: 4000 });
      expect(c.state).toBe('connected');
      expect(typeof c.sessionId).toBe('bigint');
      expect(c.sessionId).not.toBe(0n);
      expect(c.sessionPassword.length).toBe(16);
      expect(c.sessionTimeout).toBe(4000);
    });

    it('rejects a bad connect string naming the bad part', async () => {
      const err = await keeperFailure(CoordClient.connect('127.0.0.1:99999'));
      expect(err.code).toBe(Code.BadArguments);
      expect(err.message).toContain('99999');
      const err2 = await keeperFailure(CoordClient.connect(`${ctx.peer.connectString}/bad/`));
      expect(err2.message).toContain('/bad/');
    });

    it('fails with ConnectionLoss when no server answers within connectTimeout', async () => {
      const port = await freePort();
      const err = await keeperFailure(CoordClient.connect(`127.0.0.1:${port}`, { connectTimeout: 500, retry: { baseDelayMs: 20 } }));
      expect(err.code).toBe(Code.ConnectionLoss);
      expect(err.message).toContain(`127.0.0.1:${port}`);
    });

    it('resumes a session with its id and password, and refuses a wrong password', async () => {
      const proxy = await ctx.proxy();
      const a = await ctx.connect({ via: proxy });
      const base = await ctx.prepareBase();
      await a.create(`${base}/eph`, 'x', { mode: CreateMode.EPHEMERAL });
      // Cut the first client off so the two do not take the session from each other.
      proxy.refuse();
      proxy.cut();
      await stateReached(a, 'disconnected');
      const b = await ctx.connect({ sessionId: a.sessionId, sessionPassword: a.sessionPassword });
      expect(b.sessionId).toBe(a.sessionId);
      // A new client on the same session may reach a member that has not applied a's write yet.
      await b.sync(base);
      expect(await b.getEphemerals(base)).toEqual([`${base}/eph`]);
      const wrong = Buffer.from(a.sessionPassword);
      wrong[0] = (wrong[0]! + 1) & 0xff;
      const err = await keeperFailure(ctx.connect({ sessionId: a.sessionId, sessionPassword: wrong }));
      expect(err.code).toBe(Code.SessionExpired);
    });

    it('accepts canBeReadOnly against a read-write server', async () => {
      const c = await ctx.connect({ canBeReadOnly: true });
      expect(c.state).toBe('connected');
      expect(await c.exists('/')).not.toBeNull();
    });
  });

  describe('nodes', () => {
    it('creates, reads, updates and deletes with versions and full stats', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      const p = `${base}/n`;
      expect(await c.create(p, 'v0')).toBe(p);
      const { data, stat } = await c.getData(p);
      expect(data.toString()).toBe('v0');
      expect(stat).toMatchObject({ version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 2, numChildren: 0 });
      expect(stat.czxid).toBe(stat.mzxid);
      expect(stat.ctime).toBeGreaterThan(0);
      const s1 = await c.setData(p, Buffer.from('v1'), 0);
      expect(s1.version).toBe(1);
      expect(s1.mzxid).toBeGreaterThan(stat.mzxid);
      expect((await keeperFailure(c.setData(p, 'v2', 0))).code).toBe(Code.BadVersion);
      expect((await keeperFailure(c.delete(p, 0))).code).toBe(Code.BadVersion);
      await c.delete(p, 1);
      expect(await c.exists(p)).toBeNull();
      const noNode = await keeperFailure(c.getData(p));
      expect(noNode.code).toBe(Code.NoNode);
      expect(noNode.path).toBe(p);
    });

    it('reports NodeExists, NotEmpty, NoNode parent and NoChildrenForEphemerals', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      expect((await keeperFailure(c.create(base))).code).toBe(Code.NodeExists);
      await c.create(`${base}/a`);
      await c.create(`${base}/a/b`);
      expect((await keeperFailure(c.delete(`${base}/a`))).code).toBe(Code.NotEmpty);
      expect((await keeperFailure(c.create(`${base}/x/y`))).code).toBe(Code.NoNode);
      await c.create(`${base}/e`, null, { mode: CreateMode.EPHEMERAL });
      expect((await keeperFailure(c.create(`${base}/e/c`))).code).toBe(Code.NoChildrenForEphemerals);
    });

    it('reads null data as an empty buffer and round-trips binary data', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      await c.create(`${base}/null`);
      expect((await c.getData(`${base}/null`)).data.length).toBe(0);
      const bytes = Buffer.from([0, 1, 2, 254, 255]);
      await c.create(`${base}/bin`, new Uint8Array(bytes));
      expect((await c.getData(`${base}/bin`)).data).toEqual(bytes);
    });

    it('creates every kind of node', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      const s1 = await c.create(`${base}/seq-`, null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
      expect(s1).toMatch(new RegExp(`^${base}/seq-\\d{10}$`));
      const s2 = await c.create(`${base}/`, null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
      expect(s2).toBe(`${base}/0000000001`);
      const eph = await c.create(`${base}/eph-`, null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
      expect(eph).toBe(`${base}/eph-0000000002`);
      expect((await c.exists(eph))?.ephemeralOwner).toBe(c.sessionId);
      const container = await c.create2(`${base}/box`, null, { mode: CreateMode.CONTAINER });
      expect(container.path).toBe(`${base}/box`);
      const ttl = await c.create2(`${base}/ttl`, 'x', { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 60_000 });
      expect(ttl.stat.dataLength).toBe(1);
      const ttlSeq = await c.create(`${base}/ttl-`, null, { mode: CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, ttl: 60_000 });
      expect(ttlSeq).toMatch(/ttl-\d{10}$/);
      const made = await c.create2(`${base}/plain`, 'abc');
      expect(made).toMatchObject({ path: `${base}/plain`, stat: { dataLength: 3, version: 0 } });
      expect(await c.getAllChildrenNumber(base)).toBe(7);
    });

    it('lists children with and without the parent stat', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      for (const n of ['a', 'b', 'c']) await c.create(`${base}/${n}`);
      expect((await c.getChildren(base)).sort()).toEqual(['a', 'b', 'c']);
      const { children, stat } = await c.getChildren2(base);
      expect(children.sort()).toEqual(['a', 'b', 'c']);
      expect(stat.numChildren).toBe(3);
      expect(stat.cversion).toBe(3);
      expect((await keeperFailure(c.getChildren(`${base}/none`))).code).toBe(Code.NoNode);
    });

    it('reads and sets ACLs with their version', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      const p = `${base}/acl`;
      await c.create(p, null, { acl: [...Ids.READ_ACL_UNSAFE, { perms: Perms.ALL, id: { scheme: 'ip', id: '127.0.0.1' } }] });
      const { acl, stat } = await c.getACL(p);
      expect(acl).toEqual([
        { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
        { perms: Perms.ALL, id: { scheme: 'ip', id: '127.0.0.1' } },
      ]);
      expect(stat.aversion).toBe(0);
      const s = await c.setACL(p, Ids.OPEN_ACL_UNSAFE, 0);
      expect(s.aversion).toBe(1);
      expect((await keeperFailure(c.setACL(p, Ids.OPEN_ACL_UNSAFE, 0))).code).toBe(Code.BadVersion);
      await c.setACL(p, Ids.READ_ACL_UNSAFE);
      expect((await keeperFailure(c.setData(p, 'no'))).code).toBe(Code.NoAuth);
    });

    it('syncs, lists ephemerals by prefix, counts descendants and says who it is', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      await c.sync(base);
      await c.create(`${base}/p`);
      await c.create(`${base}/p/e1`, null, { mode: CreateMode.EPHEMERAL });
      await c.create(`${base}/e2`, null, { mode: CreateMode.EPHEMERAL });
      expect((await c.getEphemerals(base)).sort()).toEqual([`${base}/e2`, `${base}/p/e1`]);
      expect(await c.getEphemerals(`${base}/p`)).toEqual([`${base}/p/e1`]);
      expect((await c.getEphemerals()).sort()).toEqual([`${base}/e2`, `${base}/p/e1`]);
      expect(await c.getAllChildrenNumber(base)).toBe(3);
      expect(await c.whoAmI()).toEqual([{ authScheme: 'ip', user: '127.0.0.1' }]);
    });

    it('pipelines many requests and answers them in order', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      const made = await Promise.all(
        Array.from({ length: 300 }, () => c.create(`${base}/s-`, null, { mode: CreateMode.PERSISTENT_SEQUENTIAL })));
      expect(made).toEqual(made.map((_, i) => `${base}/s-${String(i).padStart(10, '0')}`));
    });

    it('moves large values and long child lists through the framing', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      const big = Buffer.alloc(900 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      await c.create(`${base}/big`, big);
      const names = Array.from({ length: 1000 }, (_, i) => `child-with-a-longish-name-${i}`);
      await Promise.all(names.map((n) => c.create(`${base}/big/${n}`)));
      const [read, children] = await Promise.all([c.getData(`${base}/big`), c.getChildren(`${base}/big`)]);
      expect(read.data.equals(big)).toBe(true);
      expect(read.stat.dataLength).toBe(big.length);
      expect(children.sort()).toEqual([...names].sort());
    });

    it('fails fast with Throttled beyond maxQueuedRequests', async () => {
      const c = await ctx.connect({ maxQueuedRequests: 5 });
      const calls = Array.from({ length: 8 }, () => c.exists('/').then(() => 'ok', (e: KeeperError) => e.code));
      const results = await Promise.all(calls);
      expect(results.filter((r) => r === 'ok').length).toBe(5);
      expect(results.filter((r) => r === Code.Throttled).length).toBe(3);
    });
  });

  describe('chroot', () => {
    it('prefixes paths on the way out and strips them on the way back', async () => {
      const root = await ctx.connect();
      const base = await ctx.prepareBase();
      await root.create(`${base}/app`, 'root-of-app');
      const c = await ctx.connect({ chroot: `${base}/app` });
      await c.sync('/');
      expect((await c.getData('/')).data.toString()).toBe('root-of-app');
      expect(await c.create('/x', 'hi')).toBe('/x');
      expect(await c.create('/seq-', null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL })).toBe('/seq-0000000001');
      await root.sync(`${base}/app/x`);
      expect((await root.getData(`${base}/app/x`)).data.toString()).toBe('hi');
      expect((await c.getChildren('/')).sort()).toEqual(['seq-0000000001', 'x']);
      expect(await c.getEphemerals()).toEqual(['/seq-0000000001']);
      const [made] = await c.transaction().create('/y').commit();
      expect(made.path).toBe('/y');
      const err = await keeperFailure(c.getData('/missing'));
      expect(err.path).toBe('/missing');
    });
  });

  describe('bad input', () => {
    it('rejects invalid paths before sending, naming the rule', async () => {
      const c = await ctx.connect();
      for (const bad of ['', 'a', '/a/', '/a//b', '/a/./b', '/a/../b', '/a\u0000b']) {
        const err = await keeperFailure(c.getData(bad));
        expect(err.code).toBe(Code.BadArguments);
        expect(err.message).toContain('invalid path');
      }
      const err = await keeperFailure(c.create('/a/', null));
      expect(err.message).toContain('must not end with /');
    });

    it('rejects bad versions, modes, TTLs, ACLs and watchers', async () => {
      const c = await ctx.connect();
      const codeOf = async (p: Promise<unknown>): Promise<number> => (await keeperFailure(p)).code;
      expect(await codeOf(c.setData('/a', 'x', 1.5))).toBe(Code.BadArguments);
      expect(await codeOf(c.delete('/a', 2 ** 40))).toBe(Code.BadArguments);
      expect(await codeOf(c.create('/a', null, { mode: 9 as never }))).toBe(Code.BadArguments);
      expect(await codeOf(c.create('/a', null, { mode: CreateMode.PERSISTENT_WITH_TTL }))).toBe(Code.BadArguments);
      expect(await codeOf(c.create('/a', null, { ttl: 1000 }))).toBe(Code.BadArguments);
      expect(await codeOf(c.create('/a', null, { acl: [] }))).toBe(Code.InvalidACL);
      expect(await codeOf(c.exists('/a', 'nope' as never))).toBe(Code.BadArguments);
      expect(await codeOf(c.setData('/a', 42 as never))).toBe(Code.BadArguments);
      expect(await codeOf(c.multi([{ type: 'nope' } as never]))).toBe(Code.BadArguments);
      expect(c.state).toBe('connected');
    });
  });
}
