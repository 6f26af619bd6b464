import { describe, expect, it } from 'vitest';
import { Code, KeeperError, type CoordClient } from '@paddock/coord-client';
import {
  ChildrenCache, NodeCache, RecipeError, TreeCache, type CacheCore, type CacheOptions,
} from '@paddock/coord-client/recipes';
import type { SuiteContext } from '../client/suite-context.js';
import { CacheRecorder } from './cache-recorder.js';
import { failure, nextEvent, proxiedClient, stateReached } from './support.js';

/** The client of a server without addWatch (ZooKeeper before 3.6), as far as the caches can tell. */
function withoutAddWatch(client: CoordClient): CoordClient {
  return proxiedClient(client, { addWatch: (path: string) => Promise.reject(new KeeperError(Code.Unimplemented, path)) });
}

const MODES: readonly { name: string; opts: CacheOptions; wrap: (c: CoordClient) => CoordClient; mode: string }[] = [
  { name: 'persistent watches', opts: {}, wrap: (c) => c, mode: 'persistent' },
  { name: 'one-shot watches', opts: { watchMode: 'oneShot' }, wrap: (c) => c, mode: 'oneShot' },
  { name: 'fallback when addWatch is Unimplemented', opts: {}, wrap: withoutAddWatch, mode: 'oneShot' },
];

export function cacheTests(ctx: SuiteContext): void {
  for (const m of MODES) {
    describe(`caches with ${m.name}`, () => {
      const started = async <C extends CacheCore>(cache: C): Promise<{ cache: C; rec: CacheRecorder }> => {
        const rec = new CacheRecorder(cache);
        const initialized = nextEvent(cache, 'initialized');
        await cache.start();
        await initialized;
        expect(cache.watchMode).toBe(m.mode);
        return { cache, rec };
      };

      it('NodeCache follows create, update, delete and re-create', async () => {
        const path = `${await ctx.prepareBase()}/node`;
        const writer = await ctx.connect();
        const { cache, rec } = await started(new NodeCache(m.wrap(await ctx.connect()), path, m.opts));
        expect(cache.current).toBeNull();
        await writer.create(path, 'v1');
        await rec.until('v1', () => cache.current?.data.toString() === 'v1');
        await writer.setData(path, 'v2');
        await rec.until('v2', () => cache.current?.data.toString() === 'v2');
        await writer.delete(path);
        await rec.until('deleted', () => cache.current === null);
        await writer.create(path, 'v3');
        await rec.until('v3', () => cache.current?.data.toString() === 'v3');
        expect(rec.log).toEqual([`added ${path}=v1`, `updated ${path}=v2`, `removed ${path}=v2`, `added ${path}=v3`]);
        expect(cache.current?.stat.version).toBe(0);
        await cache.close();
      });

      it('ChildrenCache loads the children, then follows them but not grandchildren', async () => {
        const dir = await ctx.prepareBase();
        const writer = await ctx.connect();
        await writer.create(`${dir}/a`, 'A');
        await writer.create(`${dir}/b`, 'B');
        const { cache, rec } = await started(new ChildrenCache(m.wrap(await ctx.connect()), dir, m.opts));
        expect([...cache.children().keys()]).toEqual(['a', 'b']);
        expect(rec.log.sort()).toEqual([`added ${dir}/a=A`, `added ${dir}/b=B`]);
        await writer.create(`${dir}/a/grandchild`, 'g');
        const steps: [string, () => Promise<unknown>, () => boolean][] = [
          ['create c', () => writer.create(`${dir}/c`, 'C'), () => cache.get('c') !== undefined],
          ['update a', () => writer.setData(`${dir}/a`, 'A2'), () => cache.get('a')?.data.toString() === 'A2'],
          ['delete b', () => writer.delete(`${dir}/b`), () => cache.get('b') === undefined],
        ];
        for (const [what, write, seen] of steps) {
          await write();
          await rec.until(what, seen);
        }
        expect([...cache.children().keys()]).toEqual(['a', 'c']);
        expect(rec.log.slice(2)).toEqual([`added ${dir}/c=C`, `updated ${dir}/a=A2`, `removed ${dir}/b=B`]);
        await cache.close();
      });

      it('TreeCache follows a subtree at every depth, and honours maxDepth', async () => {
        const root = `${await ctx.prepareBase()}/tree`;
        const writer = await ctx.connect();
        await writer.create(root, 'r');
        await writer.create(`${root}/x`, 'x');
        const { cache, rec } = await started(new TreeCache(m.wrap(await ctx.connect()), root, m.opts));
        const shallow = await started(new TreeCache(m.wrap(await ctx.connect()), root, { ...m.opts, maxDepth: 1 }));
        expect(cache.nodes().map((n) => n.path)).toEqual([root, `${root}/x`]);
        // One change at a time, so that each shows as its own event.
        const steps: [string, () => Promise<unknown>, () => boolean][] = [
          ['create y', () => writer.create(`${root}/x/y`, 'y'), () => cache.get(`${root}/x/y`) !== undefined],
          ['create z', () => writer.create(`${root}/x/y/z`, 'z'), () => cache.get(`${root}/x/y/z`) !== undefined],
          ['update y', () => writer.setData(`${root}/x/y`, 'y2'), () => cache.get(`${root}/x/y`)?.data.toString() === 'y2'],
          ['delete z', () => writer.delete(`${root}/x/y/z`), () => cache.get(`${root}/x/y/z`) === undefined],
          ['delete y', () => writer.delete(`${root}/x/y`), () => cache.get(`${root}/x/y`) === undefined],
        ];
        for (const [what, write, seen] of steps) {
          await write();
          await rec.until(what, seen);
        }
        expect(rec.log.slice(2)).toEqual([
          `added ${root}/x/y=y`, `added ${root}/x/y/z=z`, `updated ${root}/x/y=y2`, `removed ${root}/x/y/z=z`, `removed ${root}/x/y=y2`,
        ]);
        expect(cache.childrenOf(`${root}/x`)).toEqual([]);
        expect(cache.size).toBe(2);
        // Several changes at once: the cache may fold them, but ends where the tree is.
        await Promise.all([writer.create(`${root}/w`, 'w'), writer.create(`${root}/x/deep`, 'd'), writer.setData(root, 'r2')]);
        await rec.until('w', () => cache.get(`${root}/w`) !== undefined && cache.get(`${root}/x/deep`) !== undefined && cache.get(root)?.data.toString() === 'r2');
        await shallow.rec.until('w in the shallow cache', () => shallow.cache.get(`${root}/w`) !== undefined && shallow.cache.get(root)?.data.toString() === 'r2');
        expect(shallow.cache.nodes().map((n) => n.path)).toEqual([root, `${root}/w`, `${root}/x`]);
        expect(shallow.rec.log.filter((l) => l.includes('/x/'))).toEqual([]);
        await Promise.all([cache.close(), shallow.cache.close()]);
      });

      it('catches up after a dropped connection and after changes made while cut off', async () => {
        const root = `${await ctx.prepareBase()}/tree`;
        const writer = await ctx.connect();
        await writer.create(root, 'r');
        await writer.create(`${root}/keep`, 'k');
        await writer.create(`${root}/gone`, 'g');
        const proxy = await ctx.proxy();
        const client = await ctx.connect({ via: proxy, retry: { baseDelayMs: 10, maxDelayMs: 100 } });
        const { cache, rec } = await started(new TreeCache(m.wrap(client), root, m.opts));
        client.dropConnection();
        await writer.setData(`${root}/keep`, 'k2');
        await rec.until('k2', () => cache.get(`${root}/keep`)?.data.toString() === 'k2');
        // Cut off: no connection at all while the tree changes.
        proxy.refuse();
        const down = stateReached(client, 'disconnected');
        proxy.cut();
        await down;
        await writer.create(`${root}/new`, 'n');
        await writer.delete(`${root}/gone`);
        await writer.setData(`${root}/keep`, 'k3');
        await writer.setData(root, 'r2');
        const refreshed = nextEvent(cache, 'refreshed');
        proxy.restore();
        await refreshed;
        await rec.until('the catch-up', () => cache.get(`${root}/new`) !== undefined && cache.get(`${root}/gone`) === undefined
          && cache.get(`${root}/keep`)?.data.toString() === 'k3' && cache.get(root)?.data.toString() === 'r2');
        expect(cache.nodes().map((n) => `${n.path}=${n.data.toString()}`)).toEqual([root + '=r2', `${root}/keep=k3`, `${root}/new=n`]);
        // And it keeps following after the reload.
        await writer.setData(`${root}/new`, 'n2');
        await rec.until('n2', () => cache.get(`${root}/new`)?.data.toString() === 'n2');
        await cache.close();
      });
    });
  }

  describe('caches and the session', () => {
    it('close with SessionLost when the session ends', async () => {
      const client = await ctx.connect();
      const cache = new ChildrenCache(client, await ctx.prepareBase());
      await cache.start();
      const closed = nextEvent<[RecipeError | null]>(cache, 'closed');
      await client.close();
      expect((await closed)[0]?.code).toBe('SessionLost');
    });

    it('reject bad input with clear errors', async () => {
      const client = await ctx.connect();
      for (const make of [() => new NodeCache(client, 'x'), () => new ChildrenCache(client, '/a/'), () => new TreeCache(client, '')]) {
        let err: unknown;
        try {
          make();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(KeeperError);
        expect((err as KeeperError).code).toBe(Code.BadArguments);
        expect((err as Error).message).toMatch(/invalid path/);
      }
      expect(() => new TreeCache(client, '/a', { maxDepth: -1 })).toThrow(/maxDepth/);
      expect(() => new NodeCache(client, '/a', { watchMode: 'sometimes' as never })).toThrow(/watchMode/);
      const closedClient = await ctx.connect();
      await closedClient.close();
      const err = await failure(new NodeCache(closedClient, '/a').start());
      expect((err as RecipeError).code).toBe('SessionLost');
    });
  });
}
