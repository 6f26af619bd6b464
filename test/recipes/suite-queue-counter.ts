import { describe, expect, it } from 'vitest';
import { Code, KeeperError } from '@paddock/coord-client';
import { Counter, Queue, RecipeError } from '@paddock/coord-client/recipes';
import type { SuiteContext } from '../client/suite-context.js';
import { bounded, countingClient, failure, losingReply } from './support.js';

export function queueAndCounterTests(ctx: SuiteContext): void {
  describe('Queue', () => {
    it('hands items out in FIFO order and polls null when empty', async () => {
      const dir = `${await ctx.prepareBase()}/queue`;
      const q = new Queue(await ctx.connect(), dir);
      expect(await q.poll()).toBeNull();
      for (let i = 0; i < 20; i++) await q.offer(`item ${i}`);
      expect(await q.size()).toBe(20);
      const out: string[] = [];
      for (let i = 0; i < 20; i++) out.push((await q.poll())!.toString());
      expect(out).toEqual(Array.from({ length: 20 }, (_, i) => `item ${i}`));
      expect(await q.poll()).toBeNull();
    });

    it('gives each item to exactly one of several consumers, in order per producer', async () => {
      const dir = `${await ctx.prepareBase()}/queue`;
      const PRODUCERS = 3;
      const CONSUMERS = 3;
      const ITEMS = 40;
      const clients = await Promise.all(Array.from({ length: PRODUCERS + CONSUMERS }, () => ctx.connect()));
      const queues = clients.map((c) => new Queue(c, dir));
      const received: string[][] = Array.from({ length: CONSUMERS }, () => []);
      const consumers = queues.slice(PRODUCERS).map(async (q, c) => {
        for (;;) {
          const item = (await q.take())!.toString();
          if (item === 'stop') return;
          received[c]!.push(item);
        }
      });
      await Promise.all(queues.slice(0, PRODUCERS).map(async (q, p) => {
        for (let i = 0; i < ITEMS; i++) await q.offer(`${p}:${i}`);
      }));
      for (let c = 0; c < CONSUMERS; c++) await queues[0]!.offer('stop');
      await bounded('the consumers', Promise.all(consumers));
      const all = received.flat();
      expect(all).toHaveLength(PRODUCERS * ITEMS);
      expect(new Set(all).size).toBe(PRODUCERS * ITEMS);
      // A consumer takes items in sequence order, so each producer's items reach it in offer order.
      for (const items of received) {
        for (let p = 0; p < PRODUCERS; p++) {
          const mine = items.filter((x) => x.startsWith(`${p}:`)).map((x) => Number(x.split(':')[1]));
          expect(mine).toEqual([...mine].sort((a, b) => a - b));
        }
      }
      // The consumers' takes came from other sessions: queue 0's member has them after a sync.
      await clients[0]!.sync(dir);
      expect(await queues[0]!.size()).toBe(0);
    });

    it('take() waits for an offer, and times out with null', async () => {
      const dir = `${await ctx.prepareBase()}/queue`;
      const consumer = new Queue(await ctx.connect(), dir);
      expect(await consumer.take({ timeoutMs: 50 })).toBeNull();
      const counted = countingClient(await ctx.connect());
      const waiting = new Queue(counted.client, dir).take();
      await bounded('the consumer to watch', counted.counts.watched(1));
      counted.client.dropConnection();
      await new Queue(await ctx.connect(), dir).offer('late');
      expect((await bounded('take', waiting))?.toString()).toBe('late');
    });

    it('neither duplicates an offer nor loses a take whose reply was lost', async () => {
      const dir = `${await ctx.prepareBase()}/queue`;
      const producer = losingReply(await ctx.connect(), 'create', (p) => String(p).startsWith(`${dir}/`) && String(p).endsWith('-item-'));
      await new Queue(producer.client, dir).offer('a');
      await new Queue(await ctx.connect(), dir).offer('b');
      expect(producer.lost()).toBe(1);
      const consumer = losingReply(await ctx.connect(), 'multi');
      const q = new Queue(consumer.client, dir);
      expect(await q.size()).toBe(2);
      expect((await q.take())?.toString()).toBe('a');
      expect(consumer.lost()).toBe(1);
      expect((await q.take())?.toString()).toBe('b');
      expect(await q.poll()).toBeNull();
    });

    it('refuses offers beyond maxSize with QueueFull', async () => {
      const dir = `${await ctx.prepareBase()}/queue`;
      const q = new Queue(await ctx.connect(), dir, { maxSize: 2 });
      await q.offer('1');
      await q.offer('2');
      const err = await failure(q.offer('3'));
      expect((err as RecipeError).code).toBe('QueueFull');
    });
  });

  describe('Counter', () => {
    it('reads 0 before the first write, adds and compares-and-sets', async () => {
      const path = `${await ctx.prepareBase()}/counters/c`;
      const c = new Counter(await ctx.connect(), path);
      expect(await c.get()).toBe(0);
      expect(await c.add(5)).toBe(5);
      expect(await c.add(-7)).toBe(-2);
      expect(await c.compareAndSet(3, 10)).toBe(false);
      expect(await c.compareAndSet(-2, 10)).toBe(true);
      expect(await c.get()).toBe(10);
    });

    it('loses no update under concurrent adders in separate sessions', async () => {
      const path = `${await ctx.prepareBase()}/c`;
      const ADDERS = 8;
      const ADDS = 25;
      const clients = await Promise.all(Array.from({ length: ADDERS }, () => ctx.connect()));
      const counters = clients.map((client) => new Counter(client, path, { retry: { baseDelayMs: 2 } }));
      const results = await Promise.all(counters.map(async (c) => {
        const seen: number[] = [];
        for (let i = 0; i < ADDS; i++) seen.push(await c.add(1));
        return seen;
      }));
      // Every add saw its own new value: 1..N, each once.
      expect(results.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: ADDERS * ADDS }, (_, i) => i + 1));
      // The last adds came from other sessions, through other members: counter 0's member may
      // not have applied them yet when it answers a plain read (ZooKeeper's guarantee is per
      // session), so sync first, as a ZooKeeper user must.
      await clients[0]!.sync(path);
      expect(await counters[0]!.get()).toBe(ADDERS * ADDS);
    });

    it('applies an add once when its reply was lost', async () => {
      const path = `${await ctx.prepareBase()}/c`;
      const faulty = losingReply(await ctx.connect(), 'multi');
      const c = new Counter(faulty.client, path);
      expect(await c.add(3)).toBe(3);
      expect(faulty.lost()).toBe(1);
      expect(await new Counter(await ctx.connect(), path).get()).toBe(3);
    });

    it('rejects bad input and data that is not a number', async () => {
      const path = `${await ctx.prepareBase()}/c`;
      const client = await ctx.connect();
      const c = new Counter(client, path);
      expect(() => new Counter(client, 'c')).toThrow(/invalid path "c"/);
      const bad = await failure(c.add(1.5));
      expect(bad).toBeInstanceOf(KeeperError);
      expect((bad as KeeperError).code).toBe(Code.BadArguments);
      await client.create(path, 'twelve');
      expect(((await failure(c.get())) as RecipeError).code).toBe('BadData');
    });
  });
}
