import { describe, expect, it } from 'vitest';
import { Code, KeeperError, type CoordClient } from '@paddock/coord-client';
import {
  ActiveStandby, Barrier, Counter, DoubleBarrier, LeaderElection, Lock, Queue, ReadWriteLock, RecipeError,
  type ActiveStandbyOptions,
} from '@paddock/coord-client/recipes';
import { OptionError } from '@paddock/edges';
import type { SuiteContext } from '../client/suite-context.js';
import { bounded, failure, waitForChildren } from './support.js';

/** What `make` throws or rejects with. */
function thrownBy(make: () => unknown): Promise<unknown> {
  return Promise.resolve().then(make).then(() => undefined, (e: unknown) => e);
}

/** Runs `make` and checks it throws (or rejects with) BadArguments whose message matches. */
async function badArguments(make: () => unknown, message: RegExp): Promise<void> {
  const err = await thrownBy(make);
  expect(err, String(message)).toBeInstanceOf(KeeperError);
  expect((err as KeeperError).code).toBe(Code.BadArguments);
  expect((err as Error).message).toMatch(message);
}

/** Runs `make` and checks it throws (or rejects with) an OptionError whose message matches. */
async function badOption(make: () => unknown, message: RegExp): Promise<void> {
  const err = await thrownBy(make);
  expect(err, String(message)).toBeInstanceOf(OptionError);
  expect((err as Error).message).toMatch(message);
}

export function badInputAndSessionLossTests(ctx: SuiteContext): void {
  describe('bad input', () => {
    it('invalid paths are refused when a recipe is made, naming the path and the rule', async () => {
      const c = await ctx.connect();
      const noop = { activate: () => undefined, deactivate: () => undefined };
      const makers: [string, (p: string) => unknown][] = [
        ['Lock', (p) => new Lock(c, p)],
        ['ReadWriteLock', (p) => new ReadWriteLock(c, p)],
        ['LeaderElection', (p) => new LeaderElection(c, p)],
        ['ActiveStandby', (p) => new ActiveStandby(c, p, noop)],
        ['Barrier', (p) => new Barrier(c, p)],
        ['DoubleBarrier', (p) => new DoubleBarrier(c, p, 2)],
        ['Queue', (p) => new Queue(c, p)],
        ['Counter', (p) => new Counter(c, p)],
      ];
      for (const [name, make] of makers) {
        await badArguments(() => make('locks'), /invalid path "locks": Path must start with \/ character/);
        await badArguments(() => make('/a/'), /invalid path "\/a\/": Path must not end with \/ character/);
        await badArguments(() => make('/a//b'), /invalid path "\/a\/\/b": empty node name/);
        expect(name).toBeTruthy();
      }
    });

    it('other nonsense is refused with what was wrong', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      await badOption(() => new DoubleBarrier(c, base, 0), /memberCount must be an integer >= 1, got 0/);
      await badOption(() => new Queue(c, base, { maxSize: 0 }), /maxSize/);
      await badArguments(() => new Counter(c, '/'), /not \//);
      await badOption(() => new LeaderElection(c, base, { id: '' }), /id must be a non-empty string/);
      await badOption(() => new ActiveStandby(c, base, {} as ActiveStandbyOptions), /needs activate and deactivate/);
      await badOption(() => new Lock({} as CoordClient, base), /needs a connected CoordClient/);
      await badOption(() => new Lock(c, base, { retry: { maxAttempts: -1 } }), /retry.maxAttempts/);
      await badOption(() => new Lock(c, `${base}/l`).acquire({ timeoutMs: -5 }), /timeoutMs must be a non-negative number/);
      await badOption(() => new Queue(c, `${base}/q`).take({ timeoutMs: Number.NaN }), /timeoutMs/);
      await badArguments(() => new Queue(c, `${base}/q`).offer(42 as unknown as string), /strings or bytes/);
      await badArguments(() => new Counter(c, `${base}/n`).add(Number.NaN), /delta must be a safe integer/);
      await badOption(() => new Lock(c, `${base}/l`, { newId: () => 'a/b' }).acquire(), /newId\(\) must return/);
      const el = new LeaderElection(c, `${base}/e`);
      await el.start();
      await badArguments(() => el.start(), /start\(\) may be called once/);
      await el.close();
    });
  });

  describe('session loss while waiting', () => {
    it('Queue.take, Barrier.waitOnBarrier, DoubleBarrier.enter and Lock.acquire reject with SessionLost', async () => {
      const base = await ctx.prepareBase();
      const other = await ctx.connect();
      await new Barrier(other, `${base}/barrier`).set();
      const holder = new Lock(other, `${base}/lock`);
      await holder.acquire();
      const c = await ctx.connect();
      const waits = [
        new Queue(c, `${base}/queue`).take(),
        new Barrier(c, `${base}/barrier`).waitOnBarrier(),
        new DoubleBarrier(c, `${base}/double`, 2).enter(),
        new Lock(c, `${base}/lock`).acquire(),
      ];
      // All four are waiting once the lock and the barrier have our nodes.
      await bounded('the waiters', Promise.all([waitForChildren(other, `${base}/lock`, 2), waitForChildren(other, `${base}/double`, 1)]));
      await c.close();
      for (const err of await Promise.all(waits.map(failure))) {
        expect(err).toBeInstanceOf(RecipeError);
        expect((err as RecipeError).code).toBe('SessionLost');
        expect(err.message).toMatch(/session ended/);
      }
      await holder.release();
    });

    it('Counter and Queue calls on an ended session fail with SessionLost', async () => {
      const base = await ctx.prepareBase();
      const c = await ctx.connect();
      await c.close();
      const calls = [new Counter(c, `${base}/n`).add(1), new Queue(c, `${base}/q`).offer('x'), new Barrier(c, `${base}/b`).set()];
      for (const err of await Promise.all(calls.map(failure))) expect((err as RecipeError).code).toBe('SessionLost');
    });
  });
}
