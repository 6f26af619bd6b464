import { describe, expect, it } from 'vitest';
import type { CoordClient } from '@paddock/coord-client';
import { Barrier, DoubleBarrier } from '@paddock/coord-client/recipes';
import type { SuiteContext } from '../client/suite-context.js';
import { bounded, childrenNow, countingClient, waitForChildren } from './support.js';

export function barrierTests(ctx: SuiteContext): void {
  describe('Barrier', () => {
    it('holds waiters while set and releases them all on remove', async () => {
      const path = `${await ctx.prepareBase()}/barrier/b`;
      const setter = new Barrier(await ctx.connect(), path);
      const clients = await Promise.all([0, 1, 2].map(() => ctx.connect()));
      const waiters = clients.map((c) => new Barrier(c, path));
      expect(await waiters[0]!.waitOnBarrier({ timeoutMs: 1_000 })).toBe(true);
      await setter.set();
      await setter.set();
      expect(await setter.isSet()).toBe(true);
      // The set came from another session: on an ensemble a waiter's member may not have it yet
      // (a waiter that missed it would pass at once, and the release below would prove nothing).
      await Promise.all(clients.map((c) => c.sync(path)));
      expect(await waiters[0]!.waitOnBarrier({ timeoutMs: 50 })).toBe(false);
      const released = waiters.map((w) => w.waitOnBarrier());
      await setter.remove();
      expect(await bounded('the waiters', Promise.all(released))).toEqual([true, true, true]);
      expect(await setter.isSet()).toBe(false);
      await setter.remove();
    });

    it('still releases a waiter whose connection dropped while waiting', async () => {
      const path = `${await ctx.prepareBase()}/b`;
      const setter = new Barrier(await ctx.connect(), path);
      await setter.set();
      const counted = countingClient(await ctx.connect());
      const waiting = new Barrier(counted.client, path).waitOnBarrier();
      await bounded('the waiter to watch', counted.counts.watched(1));
      counted.client.dropConnection();
      await setter.remove();
      expect(await bounded('the waiter', waiting)).toBe(true);
    });
  });

  describe('DoubleBarrier', () => {
    const MEMBERS = 5;

    it(`lets ${MEMBERS} members in together and out together`, async () => {
      const dir = `${await ctx.prepareBase()}/double`;
      const members = await Promise.all(Array.from({ length: MEMBERS }, async () => new DoubleBarrier(await ctx.connect(), dir, MEMBERS)));
      const observer = await ctx.connect();
      let entered = 0;
      const early = members.slice(0, MEMBERS - 1).map((m) => m.enter().then((ok) => { entered++; return ok; }));
      await bounded('the early members', waitForChildren(observer, dir, MEMBERS - 1));
      expect(entered).toBe(0);
      expect(await members[MEMBERS - 1]!.enter()).toBe(true);
      expect(await bounded('everyone in', Promise.all(early))).toEqual(Array(MEMBERS - 1).fill(true));
      let left = 0;
      const leaving = members.slice(0, MEMBERS - 1).map((m) => m.leave().then((ok) => { left++; return ok; }));
      // The early leavers' nodes are gone, but for the lowest one's: it waits for the highest.
      await bounded('the early leavers', waitForAtMost(observer, dir, 2));
      expect(left).toBe(0);
      expect(await members[MEMBERS - 1]!.leave()).toBe(true);
      expect(await bounded('everyone out', Promise.all(leaving))).toEqual(Array(MEMBERS - 1).fill(true));
      expect(await childrenNow(observer, dir)).toEqual([]);
    });

    it('enter() times out with false and takes its member node back', async () => {
      const dir = `${await ctx.prepareBase()}/double`;
      const member = new DoubleBarrier(await ctx.connect(), dir, 3);
      expect(await member.enter({ timeoutMs: 50 })).toBe(false);
      expect(await childrenNow(await ctx.connect(), dir)).toEqual([]);
    });

    it('can be used for a second round once everyone has left', async () => {
      const dir = `${await ctx.prepareBase()}/double`;
      const members = await Promise.all([0, 1].map(async () => new DoubleBarrier(await ctx.connect(), dir, 2)));
      for (let round = 0; round < 2; round++) {
        expect(await bounded('enter', Promise.all(members.map((m) => m.enter())))).toEqual([true, true]);
        expect(await bounded('leave', Promise.all(members.map((m) => m.leave())))).toEqual([true, true]);
      }
    });
  });
}

/** Waits, on child watches, until `dir` has at most `n` children (ignoring `ready`). */
async function waitForAtMost(client: CoordClient, dir: string, n: number): Promise<void> {
  for (;;) {
    let fired!: () => void;
    const changed = new Promise<void>((resolve) => { fired = resolve; });
    const kids = await client.getChildren(dir, (e) => { if (e.path !== null) fired(); });
    if (kids.filter((k) => k !== 'ready').length <= n) return;
    await changed;
  }
}
