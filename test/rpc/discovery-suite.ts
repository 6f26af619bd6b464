import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry, type Provider, type Subscription } from '@paddock/registry';
import type { RpcClient, RpcProxy } from '@paddock/rpc';
import type { PeerServer } from '../../bench/support/peer-server.js';
import { Greeter } from './contracts.js';
import { ProviderProcess, type ProviderConfig } from './provider-process.js';
import { listed as listedOn, useClients, within } from './rpc-harness.js';

/**
 * Providers in child processes register through a coordination server; the consumer finds them
 * with `refer()` and no addresses. Waits are on events (registry changes, calls served),
 * bounded. `start` gives the server of the discovery tests, `startOwn` the one the outage test
 * stops (Paddock standalone, or an ensemble whose stop() is the whole service going away).
 */
export function discoverySuite(start: () => Promise<PeerServer>, startOwn: () => Promise<PeerServer>): void {
  const newClient = useClients();

  let coord: PeerServer;
  let root = '';
  let registry: Registry | undefined;
  /** The test's own view of what the consumer follows: the same registry, so the same watches. */
  let watched: Subscription;
  let roots = 0;

  beforeAll(async () => {
    coord = await start();
  });
  afterAll(async () => {
    await coord.stop();
  });

  async function setUp(): Promise<Registry> {
    root = `/rpc-discovery-${process.pid}-${++roots}/services`;
    const r = await Registry.connect(coord.connectString, { root, sessionTimeout: 4000 });
    registry = r;
    watched = await r.discover('Greeter', { version: '^1.2.0' });
    return r;
  }

  afterEach(async () => {
    await ProviderProcess.stopAll();
    await registry?.close();
    registry = undefined;
  });

  function provider(name: string, extra: ProviderConfig = {}): Promise<ProviderProcess> {
    return ProviderProcess.start({ name, registry: coord.connectString, root, ...extra });
  }

  function listed(what: string, ok: (list: readonly Provider[]) => boolean): Promise<void> {
    return listedOn(watched, what, ok);
  }

  function consumer(): RpcClient {
    if (registry === undefined) throw new Error('setUp() first');
    return newClient({ registry, timeout: 15_000 });
  }

  /** Calls whoami until every name has answered (a new provider is used once its connection is up). */
  async function untilServedBy(greeter: RpcProxy<Greeter>, names: readonly string[]): Promise<void> {
    const seen = new Set<string>();
    await within((async () => {
      while (!names.every((n) => seen.has(n))) seen.add((await greeter.whoami()).name);
    })(), `calls to reach ${names.join(', ')}`);
  }

  async function split(greeter: RpcProxy<Greeter>, calls: number): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < calls; i++) {
      const { name } = await greeter.whoami();
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return counts;
  }

  describe('discovery through the registry', () => {
    it('a consumer without addresses finds the registered providers and calls them', async () => {
      await setUp();
      await Promise.all([provider('a'), provider('b')]);
      await listed('two providers', (l) => l.length === 2);
      const greeter = consumer().refer(Greeter, { loadbalance: 'round-robin' });
      expect(await greeter.hello('ada')).toBe('hello ada');
      await untilServedBy(greeter, ['a', 'b']);
      const counts = await split(greeter, 100);
      expect(counts.get('a')).toBe(50);
      expect(counts.get('b')).toBe(50);
    });

    it('refer() needs addresses or a registry', () => {
      expect(() => newClient().refer(Greeter)).toThrow('give addresses');
    });

    it('a canary group named at export() gets only the calls that ask for it', async () => {
      const r = await setUp();
      const canaries = await r.discover('Greeter', { group: 'canary' });
      await Promise.all([provider('stable'), provider('canary', { group: 'canary' })]);
      await listed('the stable provider', (l) => l.length === 1);
      await within(new Promise<void>((resolve) => {
        if (canaries.providers.length === 1) resolve();
        else canaries.once('change', () => resolve());
      }), 'the canary provider');
      expect(canaries.providers[0]).toMatchObject({ group: 'canary', version: '1.2.0' });
      const client = consumer();
      const stable = await split(client.refer(Greeter), 20);
      const canary = await split(client.refer(Greeter, { group: 'canary' }), 20);
      const both = await split(client.refer(Greeter, { group: 'default,canary', loadbalance: 'round-robin' }), 20);
      expect([...stable.keys()]).toEqual(['stable']);
      expect([...canary.keys()]).toEqual(['canary']);
      expect([...both.keys()].sort()).toEqual(['canary', 'stable']);
    });

    it('a provider added later gets its share of the calls', async () => {
      await setUp();
      await Promise.all([provider('a'), provider('b')]);
      await listed('two providers', (l) => l.length === 2);
      const greeter = consumer().refer(Greeter, { loadbalance: 'round-robin' });
      await untilServedBy(greeter, ['a', 'b']);
      await provider('c');
      await listed('three providers', (l) => l.length === 3);
      await untilServedBy(greeter, ['c']);
      const counts = await split(greeter, 300);
      expect([...counts.keys()].sort()).toEqual(['a', 'b', 'c']);
      for (const n of counts.values()) expect(n).toBe(100);
    });

    it('a provider killed under load: no idempotent call fails, the others take over at once and after the registry drops it', async () => {
      await setUp();
      const [a] = await Promise.all([provider('a'), provider('b'), provider('c')]);
      await listed('three providers', (l) => l.length === 3);
      const greeter = consumer().refer(Greeter, { loadbalance: 'round-robin' });
      await untilServedBy(greeter, ['a', 'b', 'c']);
      const failures: unknown[] = [];
      let ok = 0;
      let stopping = false;
      const worker = async (w: number): Promise<void> => {
        for (let i = 0; !stopping; i++) {
          try {
            await greeter.echo(`${w}-${i}`);
            ok++;
          } catch (err) {
            failures.push(err);
          }
        }
      };
      const workers = Array.from({ length: 32 }, (_, w) => worker(w));
      const until = async (what: string, done: () => boolean): Promise<void> => {
        await within((async () => { while (!done() && failures.length === 0) await new Promise((r) => setImmediate(r)); })(), what);
      };
      try {
        await until('calls to flow', () => ok >= 500);
        a.kill();
        const atKill = ok;
        await until('the survivors to carry the load', () => ok >= atKill + 1000);
        // The session of the killed provider expires later; the list then loses it and calls go on.
        await listed('the killed provider to be unregistered', (l) => l.length === 2 && !l.some((p) => p.port === a.port));
        const atRemoval = ok;
        await until('calls after the removal', () => ok >= atRemoval + 500);
      } finally {
        stopping = true;
        await Promise.all(workers);
      }
      expect(failures).toEqual([]);
      expect(await a.exited).toBeNull();
      const counts = await split(greeter, 20);
      expect([...counts.keys()].sort()).toEqual(['b', 'c']);
    });

    it('a provider shutting down gracefully gets no new calls once it is unregistered, and no call fails', async () => {
      await setUp();
      const [a] = await Promise.all([provider('a', { graceMs: 1000 }), provider('b')]);
      await listed('two providers', (l) => l.length === 2);
      const greeter = consumer().refer(Greeter, { loadbalance: 'round-robin' });
      await untilServedBy(greeter, ['a', 'b']);
      const failures: unknown[] = [];
      let removed = false;
      let startedAfterRemovalServedByA = 0;
      let servedAfterRemoval = 0;
      let stopping = false;
      const worker = async (w: number): Promise<void> => {
        for (let i = 0; !stopping; i++) {
          const afterRemoval = removed;
          try {
            // work() is not idempotent: it must never be retried, and never fail either.
            const r = await greeter.work(2, `${w}-${i}`);
            if (afterRemoval) {
              servedAfterRemoval++;
              if (r.name === 'a') startedAfterRemovalServedByA++;
            }
          } catch (err) {
            failures.push(err);
          }
        }
      };
      const workers = Array.from({ length: 16 }, (_, w) => worker(w));
      try {
        const gone = listed('a to be unregistered', (l) => l.length === 1).then(() => { removed = true; });
        const stopped = a.stop();
        await gone;
        expect(await stopped).toBe(0);
        await within((async () => { while (servedAfterRemoval < 300 && failures.length === 0) await new Promise((r) => setImmediate(r)); })(), 'calls after the removal');
      } finally {
        stopping = true;
        await Promise.all(workers);
      }
      expect(failures).toEqual([]);
      expect(startedAfterRemovalServedByA).toBe(0);
    });

    it('consistent-hash keyed by the arguments named in hashArguments', async () => {
      await setUp();
      await Promise.all([provider('a'), provider('b'), provider('c')]);
      await listed('three providers', (l) => l.length === 3);
      const greeter = consumer().refer(Greeter, { loadbalance: 'consistent-hash', hashArguments: [1] });
      const byTag = new Map<string, Set<string>>();
      for (let i = 0; i < 60; i++) {
        const tag = `key-${i % 6}`;
        // The first argument varies; only the second (the tag) makes the key.
        const { name } = await greeter.work(i % 3, tag);
        byTag.set(tag, (byTag.get(tag) ?? new Set()).add(name));
      }
      for (const names of byTag.values()) expect(names.size).toBe(1);
    });

    it('a weight from a configurator override changes the split', async () => {
      const reg = await setUp();
      const [a] = await Promise.all([provider('a'), provider('b')]);
      await listed('two providers', (l) => l.length === 2);
      const greeter = consumer().refer(Greeter, { loadbalance: 'round-robin' });
      await untilServedBy(greeter, ['a', 'b']);
      const even = await split(greeter, 100);
      expect(even.get('a')).toBe(50);
      await reg.setOverride('Greeter', { host: '127.0.0.1', port: a.port, weight: 300 });
      await listed('the override', (l) => l.some((p) => p.port === a.port && p.weight === 300));
      const weighted = await split(greeter, 400);
      // Smooth weighted round robin: 3 of every 4 calls, give or take the carried-over state.
      expect(weighted.get('a')).toBeGreaterThanOrEqual(297);
      expect(weighted.get('a')).toBeLessThanOrEqual(303);
      await reg.setOverride('Greeter', { host: '127.0.0.1', port: a.port, disabled: true });
      await listed('a disabled', (l) => l.length === 1);
      const counts = await split(greeter, 20);
      expect(counts.get('b')).toBe(20);
    });
  });

  describe('a coordination outage', () => {
    it('keeps the last good list: calls go on to every provider while the coordination server is down', async () => {
      const own = await startOwn();
      const ownRoot = `/rpc-outage-${process.pid}/services`;
      const reg = await Registry.connect(own.connectString, { root: ownRoot, sessionTimeout: 4000 });
      let stopped = false;
      try {
        await Promise.all(['a', 'b'].map((name) => ProviderProcess.start({ name, registry: own.connectString, root: ownRoot })));
        const sub = await reg.discover('Greeter', { version: '^1.2.0' });
        await within(new Promise<void>((resolve) => {
          if (sub.providers.length === 2) return resolve();
          sub.on('change', (l) => { if (l.length === 2) resolve(); });
        }), 'two providers');
        const greeter = newClient({ registry: reg, timeout: 15_000 }).refer(Greeter, { loadbalance: 'round-robin' });
        await untilServedBy(greeter, ['a', 'b']);
        const stale = within(new Promise<void>((resolve) => sub.on('status', (s) => { if (s === 'stale') resolve(); })), 'the list to go stale');
        await own.stop();
        stopped = true;
        await stale;
        expect(sub.providers).toHaveLength(2);
        const counts = await split(greeter, 100);
        expect(counts.get('a')).toBe(50);
        expect(counts.get('b')).toBe(50);
      } finally {
        await ProviderProcess.stopAll();
        await reg.close();
        if (!stopped) await own.stop();
      }
    });
  });
}
