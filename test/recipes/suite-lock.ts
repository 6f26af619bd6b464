import { describe, expect, it } from 'vitest';
import { CreateMode, EventType, type CoordClient } from '@paddock/coord-client';
import { Lock, RecipeError } from '@paddock/coord-client/recipes';
import type { SuiteContext } from '../client/suite-context.js';
import { bounded, childrenNow, countingClient, failure, losingReply, nextEvent, stateReached, waitForChildren } from './support.js';

const CONTENDERS = 10;
const ROUNDS = 100;

export function lockTests(ctx: SuiteContext): void {
  describe('Lock', () => {
    it(`keeps mutual exclusion over ${CONTENDERS * ROUNDS} acquisitions by ${CONTENDERS} sessions, each release waking one waiter`, async () => {
      const dir = `${await ctx.prepareBase()}/lock`;
      const contenders = await Promise.all(Array.from({ length: CONTENDERS }, async () => {
        const counted = countingClient(await ctx.connect());
        return { ...counted, lock: new Lock(counted.client, dir) };
      }));
      let inside = 0;
      let maxInside = 0;
      let total = 0;
      let waited = 0;
      await Promise.all(contenders.map(async ({ lock, client, counts }) => {
        for (let i = 0; i < ROUNDS; i++) {
          const before = counts.dataWatches;
          expect(await lock.acquire()).toBe(true);
          if (counts.dataWatches > before) waited++;
          maxInside = Math.max(maxInside, ++inside);
          // Hold the lock across a round trip, so that an overlap would be seen.
          await client.exists(dir);
          inside--;
          total++;
          await lock.release();
        }
      }));
      expect(total).toBe(CONTENDERS * ROUNDS);
      expect(maxInside).toBe(1);
      const events = contenders.flatMap((c) => c.counts.events);
      const watches = contenders.reduce((n, c) => n + c.counts.dataWatches, 0);
      const perNode = new Map<string, number>();
      for (const e of events) perNode.set(e.path!, (perNode.get(e.path!) ?? 0) + 1);
      if (process.env.RECIPE_STATS) {
        console.log(`lock: ${total} acquisitions, ${waited} waited, ${watches} watches set, ${events.length} watch events, `
          + `per contender ${contenders.map((c) => c.counts.events.length).join('/')}, max per released node ${Math.max(0, ...perNode.values())}`);
      }
      // No herd: only deletions of lock nodes are seen, each by one contender, and every watch set fired once.
      expect(events.every((e) => e.type === EventType.NodeDeleted)).toBe(true);
      expect(Math.max(0, ...perNode.values())).toBe(1);
      expect(events.length).toBe(watches);
      expect(events.length).toBeLessThan(total);
      expect(contenders.reduce((n, c) => n + c.counts.childWatches, 0)).toBe(0);
      expect(await childrenNow(await ctx.connect(), dir)).toEqual([]);
    }, 60_000);

    it('is reentrant for the same holder and needs as many releases', async () => {
      const dir = `${await ctx.prepareBase()}/lock`;
      const [a, b] = [new Lock(await ctx.connect(), dir), new Lock(await ctx.connect(), dir)];
      expect(await a.acquire()).toBe(true);
      expect(await a.acquire({ timeoutMs: 0 })).toBe(true);
      expect(a.holdCount).toBe(2);
      expect(await a.participants()).toHaveLength(1);
      await a.release();
      expect(a.isHeld).toBe(true);
      expect(await b.acquire({ timeoutMs: 50 })).toBe(false);
      const got = b.acquire();
      await a.release();
      expect(await bounded('b to acquire', got)).toBe(true);
      expect(a.isHeld).toBe(false);
      expect((await failure(a.release())).message).toMatch(/^NotHeld/);
      await b.release();
    });

    it('returns false on timeout and removes its node', async () => {
      const dir = `${await ctx.prepareBase()}/lock`;
      const observer = await ctx.connect();
      const [a, b, c] = await Promise.all([0, 1, 2].map(async () => new Lock(await ctx.connect(), dir)));
      await a!.acquire();
      const third = c!.acquire();
      expect(await b!.acquire({ timeoutMs: 100 })).toBe(false);
      expect(b!.isHeld).toBe(false);
      expect(await childrenNow(observer, dir)).toHaveLength(2);
      // The third waited on b's node; with it gone it waits on a, and gets the lock after a.
      await a!.release();
      expect(await bounded('c to acquire', third)).toBe(true);
      await c!.release();
      expect(await childrenNow(observer, dir)).toEqual([]);
    });

    it('finds its own node after the create reply is lost (protected create)', async () => {
      const dir = `${await ctx.prepareBase()}/lock`;
      const faulty = losingReply(await ctx.connect(), 'create', (p) => String(p).startsWith(`${dir}/`));
      const lock = new Lock(faulty.client, dir);
      expect(await bounded('acquire', lock.acquire())).toBe(true);
      expect(faulty.lost()).toBe(1);
      const nodes = await childrenNow(await ctx.connect(), dir);
      expect(nodes).toHaveLength(1);
      expect(lock.nodePath).toBe(`${dir}/${nodes[0]}`);
      await lock.release();
      expect(await childrenNow(await ctx.connect(), dir)).toEqual([]);
    });

    it('reports suspended and reconnected across a dropped connection, and still holds', async () => {
      const dir = `${await ctx.prepareBase()}/lock`;
      const client = await ctx.connect();
      const lock = new Lock(client, dir);
      await lock.acquire();
      const suspended = nextEvent(lock, 'suspended');
      const reconnected = nextEvent(lock, 'reconnected');
      client.dropConnection();
      await suspended;
      await reconnected;
      expect(lock.isHeld).toBe(true);
      await lock.release();
    });

    it('reports the lock lost when the session expires, and a waiter gets it', async () => {
      const dir = `${await ctx.prepareBase()}/lock`;
      const proxy = await ctx.proxy();
      const holderClient = await ctx.connect({ via: proxy, sessionTimeout: 1000, retry: { baseDelayMs: 10, maxDelayMs: 100 } });
      const holder = new Lock(holderClient, dir);
      const waiter = new Lock(await ctx.connect(), dir);
      await holder.acquire();
      const suspended = nextEvent(holder, 'suspended');
      const lost = nextEvent<[RecipeError]>(holder, 'lost');
      const next = waiter.acquire();
      proxy.blackhole();
      await suspended;
      // The server expires the holder's session, deleting its node: the waiter goes next.
      expect(await bounded('the waiter to acquire', next)).toBe(true);
      proxy.cut();
      proxy.restore();
      const [reason] = await lost;
      expect(reason).toBeInstanceOf(RecipeError);
      expect(reason.code).toBe('SessionLost');
      expect(holder.isHeld).toBe(false);
      await holder.release();
      await waiter.release();
    });

    it('rejects a waiting acquire with SessionLost when its session ends', async () => {
      const dir = `${await ctx.prepareBase()}/lock`;
      const holder = new Lock(await ctx.connect(), dir);
      const waiterClient: CoordClient = await ctx.connect();
      await holder.acquire();
      const waiting = new Lock(waiterClient, dir).acquire();
      await bounded('the waiter node', waitForChildren(await ctx.connect(), dir, 2));
      await waiterClient.close();
      const err = await failure(waiting);
      expect(err).toBeInstanceOf(RecipeError);
      expect((err as RecipeError).code).toBe('SessionLost');
      await holder.release();
      await stateReached(waiterClient, 'closed');
    });

    it('gives up a held lock as its client starts closing, before a waiter can be let in', async () => {
      const dir = `${await ctx.prepareBase()}/lock`;
      const holderClient = await ctx.connect();
      const holder = new Lock(holderClient, dir);
      await holder.acquire();
      const lost: string[] = [];
      holder.on('lost', (r) => lost.push(r.code));
      const closing = holderClient.close();
      expect(lost).toEqual(['SessionLost']);
      await closing;
      expect(lost).toHaveLength(1);
    });

    it('lets one client hold many locks without piling up state listeners', async () => {
      const base = await ctx.prepareBase();
      const client = await ctx.connect();
      const warnings: Error[] = [];
      const onWarning = (w: Error): void => { warnings.push(w); };
      process.on('warning', onWarning);
      try {
        const listenersBefore = client.listenerCount('state');
        const locks = Array.from({ length: 25 }, (_, i) => new Lock(client, `${base}/l${i}`));
        expect(await Promise.all(locks.map((l) => l.acquire()))).toEqual(Array(25).fill(true));
        expect(client.listenerCount('state')).toBeLessThanOrEqual(listenersBefore + 1);
        await Promise.all(locks.map((l) => l.release()));
      } finally {
        process.off('warning', onWarning);
      }
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    });

    it('ignores foreign children of its directory', async () => {
      const dir = await ctx.prepareBase();
      const c = await ctx.connect();
      await c.create(`${dir}/not-a-lock-node`, null, { mode: CreateMode.PERSISTENT });
      const lock = new Lock(c, dir);
      expect(await lock.acquire({ timeoutMs: 5_000 })).toBe(true);
      await lock.release();
    });
  });
}
