import { describe, expect, it } from 'vitest';
import { baseName } from '@paddock/coord-protocol';
import { ReadWriteLock } from '@paddock/coord-client/recipes';
import type { SuiteContext } from '../client/suite-context.js';
import { bounded, childrenNow, countingClient, waitForChildren } from './support.js';

export function readWriteLockTests(ctx: SuiteContext): void {
  describe('ReadWriteLock', () => {
    const rw = async (dir: string): Promise<ReadWriteLock> => new ReadWriteLock(await ctx.connect(), dir);

    it('lets readers share, queues a writer behind them and readers behind the writer', async () => {
      const dir = `${await ctx.prepareBase()}/rw`;
      const [r1, r2, w, r3] = await Promise.all([rw(dir), rw(dir), rw(dir), rw(dir)]);
      expect(await r1!.readLock.acquire()).toBe(true);
      expect(await r2!.readLock.acquire({ timeoutMs: 5_000 })).toBe(true);
      expect(await w!.writeLock.acquire({ timeoutMs: 50 })).toBe(false);
      const writer = w!.writeLock.acquire();
      await bounded('the writer node', waitForChildren(await ctx.connect(), dir, 3));
      // A reader that comes after a waiting writer waits for it (no writer starvation).
      expect(await r3!.readLock.acquire({ timeoutMs: 50 })).toBe(false);
      const reader = r3!.readLock.acquire();
      await r1!.readLock.release();
      expect(w!.writeLock.isHeld).toBe(false);
      await r2!.readLock.release();
      expect(await bounded('the writer', writer)).toBe(true);
      expect(r3!.readLock.isHeld).toBe(false);
      await w!.writeLock.release();
      expect(await bounded('the late reader', reader)).toBe(true);
      await r3!.readLock.release();
      expect(await childrenNow(await ctx.connect(), dir)).toEqual([]);
    });

    it('keeps writers exclusive under concurrent readers and writers, waking no herd', async () => {
      const dir = `${await ctx.prepareBase()}/rw`;
      const actors = await Promise.all(['r', 'r', 'r', 'w', 'w'].map(async (role) => {
        const counted = countingClient(await ctx.connect());
        return { role, counts: counted.counts, lock: new ReadWriteLock(counted.client, dir) };
      }));
      let readers = 0;
      let writers = 0;
      const violations: string[] = [];
      await Promise.all(actors.map(async ({ role, lock }) => {
        const half = role === 'w' ? lock.writeLock : lock.readLock;
        for (let i = 0; i < 20; i++) {
          await half.acquire();
          if (role === 'w') writers++;
          else readers++;
          if (writers > 1 || (writers === 1 && readers > 0)) violations.push(`${writers} writers with ${readers} readers`);
          await lock.readLock.participants();
          if (role === 'w') writers--;
          else readers--;
          await half.release();
        }
      }));
      expect(violations).toEqual([]);
      const perNode = new Map<string, number>();
      for (const e of actors.flatMap((a) => a.counts.events)) perNode.set(e.path!, (perNode.get(e.path!) ?? 0) + 1);
      // A writer's release may wake several readers, but only those queued right behind it: at most 3 here.
      expect(Math.max(0, ...perNode.values())).toBeLessThanOrEqual(3);
      expect(actors.reduce((n, a) => n + a.counts.childWatches, 0)).toBe(0);
    });

    it('lets the write holder take the read lock (downgrade)', async () => {
      const dir = `${await ctx.prepareBase()}/rw`;
      const [a, other] = await Promise.all([rw(dir), rw(dir)]);
      await a!.writeLock.acquire();
      expect(await a!.readLock.acquire({ timeoutMs: 5_000 })).toBe(true);
      expect(await other!.readLock.acquire({ timeoutMs: 50 })).toBe(false);
      await a!.writeLock.release();
      expect(await other!.readLock.acquire({ timeoutMs: 5_000 })).toBe(true);
      expect(await other!.writeLock.acquire({ timeoutMs: 50 })).toBe(false);
      await a!.readLock.release();
      await other!.readLock.release();
    });

    it('keeps a writer that queued behind the write lock behind the downgraded read lock too', async () => {
      const dir = `${await ctx.prepareBase()}/rw`;
      const [a, b, c] = await Promise.all([rw(dir), rw(dir), rw(dir)]);
      await a!.writeLock.acquire();
      const writer = b!.writeLock.acquire();
      await bounded('the queued writer node', waitForChildren(await ctx.connect(), dir, 2));
      // The write holder reads at once, though a writer waits between its write node and now.
      expect(await bounded('the downgrade', a!.readLock.acquire({ timeoutMs: 5_000 }))).toBe(true);
      await a!.writeLock.release();
      // Our read node took our write node's sequence: the queued writer is still behind it
      // (Curator 5.4 let it in here, CURATOR-621), and no newcomer writes meanwhile either.
      const order = await a!.readLock.participants();
      expect(order).toHaveLength(2);
      expect(order[0]).toBe(baseName(a!.readLock.nodePath!));
      expect(await c!.writeLock.acquire({ timeoutMs: 50 })).toBe(false);
      await a!.readLock.release();
      expect(await bounded('the queued writer', writer)).toBe(true);
      await b!.writeLock.release();
      expect(await childrenNow(await ctx.connect(), dir)).toEqual([]);
    });
  });
}
