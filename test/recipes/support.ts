import type { EventEmitter } from 'node:events';
import { Code, KeeperError, type CoordClient, type WatchedEvent, type Watcher } from '@paddock/coord-client';
import { WAIT_MS, within } from '../client/waiting.js';

export { WAIT_MS, within, stateReached } from '../client/waiting.js';

/** The next `event` the emitter sends (its arguments), within a bound. */
export function nextEvent<A extends unknown[]>(emitter: EventEmitter, event: string, ms = WAIT_MS, match: (...args: A) => boolean = () => true): Promise<A> {
  return within(`event ${event}`, (done) => {
    const on = (...args: unknown[]): void => { if (match(...(args as A))) done(args as A); };
    emitter.on(event, on);
    return () => { emitter.off(event, on); };
  }, ms);
}

/** Resolves with the promise's value, or rejects naming `what` after the bound. */
export function bounded<T>(what: string, p: Promise<T>, ms = WAIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** What a counting client saw: node events delivered to recipe watchers, and watches set per kind. */
export interface WatchCounts {
  /** Node events (path non-null) delivered to watchers the recipe passed in. */
  readonly events: WatchedEvent[];
  /** Data watches registered (a read with a watcher that succeeded on an existing node). */
  dataWatches: number;
  childWatches: number;
  /** Resolves once `n` watches (data and child) have been registered in all. */
  watched(n: number): Promise<void>;
}

/**
 * The same client, with every watcher a recipe passes to exists/getData/getChildren wrapped
 * to count the node events it receives: how the lock tests see that a release wakes one waiter.
 */
export function countingClient(client: CoordClient): { client: CoordClient; counts: WatchCounts } {
  const waiters: { n: number; done: () => void }[] = [];
  const counts: WatchCounts = {
    events: [], dataWatches: 0, childWatches: 0,
    watched: (n) => new Promise<void>((done) => { waiters.push({ n, done }); check(); }),
  };
  const check = (): void => {
    for (const w of [...waiters]) {
      if (counts.dataWatches + counts.childWatches >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
    }
  };
  const wrap = (w: Watcher | undefined): Watcher | undefined => (w === undefined ? undefined : (e) => {
    if (e.path !== null) counts.events.push(e);
    w(e);
  });
  const overrides: Record<string, unknown> = {
    exists: async (p: string, w?: Watcher) => {
      const stat = await client.exists(p, wrap(w));
      if (w && stat !== null) counts.dataWatches++;
      check();
      return stat;
    },
    getData: async (p: string, w?: Watcher) => {
      const r = await client.getData(p, wrap(w));
      if (w) counts.dataWatches++;
      check();
      return r;
    },
    getChildren: async (p: string, w?: Watcher) => {
      const r = await client.getChildren(p, wrap(w));
      if (w) counts.childWatches++;
      check();
      return r;
    },
  };
  return { client: proxied(client, overrides), counts };
}

/**
 * The same client, but the next `create` or `multi` call matching `match` happens on the server
 * and its reply is then lost: the connection drops and the caller gets ConnectionLoss, as
 * after a network fault at the worst moment.
 */
export function losingReply(
  client: CoordClient, method: 'create' | 'multi', match: (firstArg: unknown) => boolean = () => true,
): { client: CoordClient; lost: () => number } {
  let lost = 0;
  const real = (client[method] as (...a: unknown[]) => Promise<unknown>).bind(client);
  const overrides: Record<string, unknown> = {
    [method]: async (...args: unknown[]) => {
      const result = await real(...args);
      if (lost > 0 || !match(args[0])) return result;
      lost++;
      client.dropConnection();
      throw new KeeperError(Code.ConnectionLoss, typeof args[0] === 'string' ? args[0] : undefined);
    },
  };
  return { client: proxied(client, overrides), lost: () => lost };
}

/** The same client with some methods replaced (the rest bound to the real one). */
export function proxiedClient(client: CoordClient, overrides: Record<string, unknown>): CoordClient {
  return proxied(client, overrides);
}

function proxied(client: CoordClient, overrides: Record<string, unknown>): CoordClient {
  return new Proxy(client, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop];
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Rejects unless `p` rejects; resolves with the error. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/**
 * The children of `dir` as `client` reads them after a sync: on an ensemble a member may not
 * yet have applied another session's writes (ZooKeeper's rule: sync, then read).
 */
export async function childrenNow(client: CoordClient, dir: string): Promise<string[]> {
  await client.sync(dir);
  return client.getChildren(dir);
}

/** Waits, on watches (no polling), until `dir` exists and has at least `n` children. */
export async function waitForChildren(client: CoordClient, dir: string, n: number): Promise<string[]> {
  for (;;) {
    let fired!: () => void;
    const changed = new Promise<void>((resolve) => { fired = resolve; });
    const watcher = (e: WatchedEvent): void => { if (e.path !== null) fired(); };
    let kids: string[] | null = null;
    try {
      kids = await client.getChildren(dir, watcher);
    } catch (err) {
      if (!(err instanceof KeeperError && err.code === Code.NoNode)) throw err;
      // Not there yet: wait for its creation, unless it appeared meanwhile.
      if ((await client.exists(dir, watcher)) !== null) continue;
    }
    if (kids !== null && kids.length >= n) return kids;
    await changed;
  }
}
