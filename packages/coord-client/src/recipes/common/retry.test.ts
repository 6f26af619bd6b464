import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Code, KeeperError } from '@paddock/coord-protocol';
import { ManualClock, OptionError } from '@paddock/edges';
import type { CoordClient } from '../../client.js';
import type { ClientState } from '../../states.js';
import { Deadline, TIMED_OUT } from './deadline.js';
import { recipeEnv, type RecipeOptions } from './env.js';
import { RecipeError } from './errors.js';
import { backoffMs, withRetry } from './retry.js';

/** Just enough of a client for the retry helpers: a state and its 'state' events. */
class FakeClient extends EventEmitter {
  state: ClientState = 'connected';
  sessionTimeout = 3000;
  getChildren(): never {
    throw new Error('not used');
  }

  enter(state: ClientState): void {
    this.state = state;
    this.emit('state', state);
  }
}

/** Lets pending promise callbacks run. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

function setup(opts: RecipeOptions = {}) {
  const clock = new ManualClock();
  const client = new FakeClient();
  const env = recipeEnv(client as unknown as CoordClient, { clock, random: () => 0.5, retry: { maxAttempts: 3, baseDelayMs: 10 }, ...opts });
  return { clock, client, env };
}

const loss = (): KeeperError => new KeeperError(Code.ConnectionLoss, '/x');

describe('withRetry', () => {
  it('retries a connection loss after a backoff on the injected clock', async () => {
    const { clock, env } = setup();
    let calls = 0;
    const done = withRetry(env, 'step', async () => {
      if (++calls < 3) throw loss();
      return 'ok';
    });
    await settle();
    expect(calls).toBe(1);
    clock.advance(7); // first backoff: 10 ms × jitter 0.75
    await settle();
    expect(calls).toBe(2);
    clock.advance(15); // second: 20 ms × 0.75
    await settle();
    expect(await done).toBe('ok');
  });

  it('gives up with RetriesExhausted at the bound, keeping the cause', async () => {
    const { clock, env } = setup();
    const done = withRetry(env, 'step', () => Promise.reject(loss()), '/x').catch((e: unknown) => e);
    for (let i = 0; i < 5; i++) {
      await settle();
      clock.advance(100);
    }
    const err = (await done) as RecipeError;
    expect(err.code).toBe('RetriesExhausted');
    expect(err.message).toContain('still failing after 3 attempts');
    expect((err.cause as KeeperError).code).toBe(Code.ConnectionLoss);
  });

  it('waits for the reconnect before trying again', async () => {
    const { clock, client, env } = setup();
    let calls = 0;
    const done = withRetry(env, 'step', async () => {
      if (++calls === 1) {
        client.enter('disconnected');
        throw loss();
      }
      return calls;
    });
    await settle();
    clock.advance(1000);
    await settle();
    expect(calls).toBe(1);
    client.enter('connected');
    await settle();
    clock.advance(10);
    expect(await done).toBe(2);
  });

  it('turns a lost session into SessionLost and a long outage into Disconnected', async () => {
    const a = setup();
    const expired = withRetry(a.env, 'step', () => Promise.reject(new KeeperError(Code.SessionExpired, '/x'))).catch((e: unknown) => e);
    expect(((await expired) as RecipeError).code).toBe('SessionLost');

    const b = setup();
    b.client.enter('disconnected');
    const outage = withRetry(b.env, 'step', () => Promise.reject(loss())).catch((e: unknown) => e);
    await settle();
    b.clock.advance(6000); // twice the session timeout
    expect(((await outage) as RecipeError).code).toBe('Disconnected');

    const c = setup();
    c.client.enter('disconnected');
    const ended = withRetry(c.env, 'step', () => Promise.reject(loss())).catch((e: unknown) => e);
    await settle();
    c.client.enter('expired');
    expect(((await ended) as RecipeError).code).toBe('SessionLost');
  });

  it('passes other failures through unchanged', async () => {
    const { env } = setup();
    const err = await withRetry(env, 'step', () => Promise.reject(new KeeperError(Code.NoNode, '/x'))).catch((e: unknown) => e);
    expect((err as KeeperError).code).toBe(Code.NoNode);
  });
});

describe('backoff and deadlines', () => {
  it('doubles with jitter up to the cap', () => {
    const { env } = setup({ random: () => 0, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(env, a))).toEqual([5, 10, 20, 25, 25]);
  });

  it('a deadline wins a race once its time is up, and can be cancelled', async () => {
    const clock = new ManualClock();
    const d = Deadline.after(clock, 100);
    const never = new Promise<string>(() => undefined);
    const raced = d.race(never);
    clock.advance(99);
    expect(d.expired).toBe(false);
    clock.advance(1);
    expect(await raced).toBe(TIMED_OUT);
    expect(d.expired).toBe(true);
    const e = Deadline.none();
    const r = e.race(never);
    e.cancel();
    expect(await r).toBe(TIMED_OUT);
    expect(await Deadline.after(clock, 5).race(Promise.resolve('first'))).toBe('first');
  });
});

describe('recipe options', () => {
  it('reject nonsense with an OptionError', () => {
    const client = new FakeClient() as unknown as CoordClient;
    expect(() => recipeEnv(client, { retry: { maxAttempts: 0 } })).toThrow(/retry.maxAttempts must be an integer >= 1/);
    expect(() => recipeEnv(null as unknown as CoordClient)).toThrow(/needs a connected CoordClient/);
    expect(() => recipeEnv(client, { newId: () => 'a/b' }).newId()).toThrow(/without '\/'/);
    for (const bad of [() => recipeEnv(client, { retry: { baseDelayMs: -1 } }), () => recipeEnv(null as unknown as CoordClient), () => recipeEnv(client, { newId: () => '' }).newId()]) {
      expect(bad).toThrow(OptionError);
    }
  });
});
