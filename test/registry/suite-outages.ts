import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoordClient, CreateMode } from '@paddock/coord-client';
import { RegistryError } from '@paddock/registry';
import { SESSION_MS, instance, type RegistryContext } from './registry-context.js';
import { ListRecorder, MemoryLogger, newSession, registryState, untilChildren, untilNode } from './registry-waiting.js';

/** Bound on waiting for a session to expire: the timeout, a tick or two, and room for a slow machine. */
const EXPIRY_WAIT_MS = SESSION_MS * 3;

export function outageTests(ctx: RegistryContext): void {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const cacheFile = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'paddock-registry-cache-'));
    dirs.push(dir);
    return join(dir, 'nested', 'registry-cache.json');
  };

  describe('outages', () => {
    // auto: a persistent recursive watch, re-read after the reconnect; oneShot: the re-sent child watch fires.
    it.each(['auto', 'oneShot'] as const)('keeps the last good list while disconnected (never an empty list), then catches up (watchMode %s)', async (watchMode) => {
      const proxy = await ctx.suite.proxy();
      const provider = await ctx.open();
      const consumer = await ctx.open({ via: proxy, watchMode });
      const a = await provider.register(instance(1));
      await provider.register(instance(2));
      const sub = await consumer.discover('Greeter');
      const rec = new ListRecorder(sub);
      // The registers came through another session: on an ensemble the consumer's member may list
      // them a moment later (oneShot reads before the consumer writes anything), so wait for both.
      await rec.untilPorts([1, 2]);
      expect(sub.providers).toHaveLength(2);
      proxy.refuse();
      proxy.cut();
      await rec.untilStatus('stale');
      expect(consumer.state).toBe('disconnected');
      await a.unregister();
      // Every provider gone for real while cut off: the consumer still uses what it last knew.
      expect(sub.providers.map((p) => p.port)).toEqual([1, 2]);
      proxy.restore();
      await rec.untilPorts([2]);
      await rec.untilStatus('live');
      expect(rec.sawEmpty).toBe(false);
      expect(consumer.generation).toBe(1);
    });

    it('after its session expires a consumer makes a new one, re-reads and re-registers itself, keeping the list meanwhile', async () => {
      const proxy = await ctx.suite.proxy();
      const provider = await ctx.open();
      const consumer = await ctx.open({ via: proxy });
      const raw = await ctx.suite.connect();
      await provider.register(instance(1));
      const sub = await consumer.discover('Greeter');
      const rec = new ListRecorder(sub);
      const consumers = `${ctx.root()}/Greeter/consumers`;
      await untilChildren(raw, consumers, 'the consumer node', (c) => c.length === 1);
      const oldSession = consumer.client!.sessionId;
      proxy.blackhole();
      await rec.untilStatus('stale');
      // The server expires the consumer's session: its consumer node goes.
      await untilChildren(raw, consumers, 'consumer node removed by expiry', (c) => c.length === 0, EXPIRY_WAIT_MS);
      await provider.register(instance(2));
      proxy.cut();
      proxy.restore();
      await newSession(consumer, 1, EXPIRY_WAIT_MS);
      await rec.untilPorts([1, 2]);
      await rec.untilStatus('live');
      expect(rec.sawEmpty).toBe(false);
      expect(consumer.client!.sessionId).not.toBe(oldSession);
      const names = await untilChildren(raw, consumers, 'consumer node back', (c) => c.length === 1);
      expect((await raw.exists(`${consumers}/${names[0]!}`))!.ephemeralOwner).toBe(consumer.client!.sessionId);
    });

    it('after its session expires a provider makes a new one and registers again', async () => {
      const proxy = await ctx.suite.proxy();
      const provider = await ctx.open({ via: proxy });
      const consumer = await ctx.open();
      const reg = await provider.register(instance(1));
      await provider.register(instance(2));
      const sub = await consumer.discover('Greeter');
      const rec = new ListRecorder(sub);
      proxy.blackhole();
      // Not an outage for the consumer: the provider's session really ended and its nodes went.
      await rec.untilPorts([], EXPIRY_WAIT_MS);
      proxy.cut();
      proxy.restore();
      await newSession(provider, 1, EXPIRY_WAIT_MS);
      await rec.untilPorts([1, 2]);
      const raw = await ctx.suite.connect();
      await raw.sync(reg.path);
      expect((await raw.exists(reg.path))!.ephemeralOwner).toBe(provider.client!.sessionId);
      expect(sub.providers.find((p) => p.port === 1)!.url).toBe(reg.url);
    });

    it('waits out a node of the same name owned by another session, never taking it for its own', async () => {
      const logger = new MemoryLogger();
      const proxy = await ctx.suite.proxy();
      const provider = await ctx.open({ via: proxy, logger });
      const reg = await provider.register(instance(1));
      const squatter = await ctx.suite.connect();
      const observer = await ctx.suite.connect();
      proxy.blackhole();
      await untilNode(observer, reg.path, 'provider node removed by expiry', (s) => s === null, EXPIRY_WAIT_MS);
      await squatter.create(reg.path, null, { mode: CreateMode.EPHEMERAL });
      proxy.cut();
      proxy.restore();
      await newSession(provider, 1, EXPIRY_WAIT_MS);
      await logger.until('waiting on the stale node', (e) => (e.msg ?? '').includes('waiting for it to go'));
      // Still the squatter's: the provider waits rather than taking it for its own.
      await observer.sync(reg.path);
      expect((await observer.exists(reg.path))!.ephemeralOwner).toBe(squatter.sessionId);
      await squatter.close();
      // On an ensemble the observer's server may not have applied the close yet: the squatter's node would pass.
      await observer.sync(reg.path);
      const stat = await untilNode(observer, reg.path, 'provider node re-created', (s) => s !== null);
      expect(stat!.ephemeralOwner).toBe(provider.client!.sessionId);
    });

    it('removes a same-named node of another session that outlives the wait, then creates its own', async () => {
      const logger = new MemoryLogger();
      const provider = await ctx.open({ logger, staleEphemeralWaitMs: 300 });
      const squatter = await ctx.suite.connect();
      const reg = await provider.register(instance(1));
      // Simulates a node left behind under the same name: ours goes, another session's takes its place.
      await squatter.transaction().delete(reg.path).create(reg.path, null, { mode: CreateMode.EPHEMERAL }).commit();
      const before = provider.generation;
      // A new session for the provider: close its session from another handle, as an expiry would end it.
      const twin = await CoordClient.connect(ctx.suite.peer.connectString, {
        sessionId: provider.client!.sessionId, sessionPassword: provider.client!.sessionPassword, sessionTimeout: SESSION_MS,
      });
      await twin.close();
      await newSession(provider, before, EXPIRY_WAIT_MS);
      await logger.until('stale node removed', (e) => (e.msg ?? '').includes('removing a node of the same name'));
      await untilNode(squatter, reg.path, 'provider owns its node again', (s) => s?.ephemeralOwner === provider.client?.sessionId);
      expect(await squatter.getEphemerals(ctx.root())).toEqual([]);
    });

    it('a registration made while disconnected completes on reconnect; one pending at close() fails with CLOSED', async () => {
      const proxy = await ctx.suite.proxy();
      const provider = await ctx.open({ via: proxy });
      const consumer = await ctx.open();
      const sub = await consumer.discover('Greeter');
      const rec = new ListRecorder(sub);
      proxy.refuse();
      proxy.cut();
      await registryState(provider, 'disconnected');
      const pending = provider.register(instance(1));
      proxy.restore();
      const reg = await pending;
      await rec.untilPorts([1]);
      expect(sub.providers[0]!.url).toBe(reg.url);
      proxy.refuse();
      proxy.cut();
      await registryState(provider, 'disconnected');
      const stuck = provider.register(instance(2)).then(() => null, (e: unknown) => e);
      await provider.close();
      expect(await stuck).toMatchObject({ name: 'RegistryError', code: 'CLOSED' });
    });

    it('a consumer started while the service is unreachable serves the cached list, then goes live', async () => {
      const file = cacheFile();
      const provider = await ctx.open();
      await provider.register(instance(1));
      await provider.register(instance(2, { version: '2.0.0' }));
      const first = await ctx.open({ cacheFile: file });
      const sub = await first.discover('Greeter', { version: '^1' });
      expect(sub.providers.map((p) => p.port)).toEqual([1]);
      await first.close();
      const proxy = await ctx.suite.proxy();
      proxy.refuse();
      const logger = new MemoryLogger();
      const restarted = await ctx.open({ via: proxy, cacheFile: file, connectTimeout: 300, logger });
      expect(restarted.state).toBe('connecting');
      // The cache keeps every valid provider of the service; each subscription filters its own.
      const cachedAll = await restarted.discover('Greeter', { version: '*' });
      expect(cachedAll.status).toBe('cached');
      expect(cachedAll.providers.map((p) => p.port)).toEqual([1, 2]);
      const rec = new ListRecorder(cachedAll);
      await provider.register(instance(3));
      proxy.restore();
      await rec.untilPorts([1, 2, 3]);
      await rec.untilStatus('live');
      expect(rec.sawEmpty).toBe(false);
    });

    it('without a cache file, connect() fails clearly when the service is unreachable; a bad cache file is ignored', async () => {
      const proxy = await ctx.suite.proxy();
      proxy.refuse();
      const err = await ctx.open({ via: proxy, connectTimeout: 300 }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryError);
      expect((err as RegistryError).code).toBe('CONNECT_FAILED');
      expect((err as RegistryError).message).toContain(proxy.connectString);
      const file = cacheFile();
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, '{"format": "paddock-registry-cache/1", "services": {"Greeter": {"providers": 5}}');
      const logger = new MemoryLogger();
      const registry = await ctx.open({ via: proxy, cacheFile: file, connectTimeout: 300, logger });
      const sub = await registry.discover('Greeter');
      expect(sub.status).toBe('pending');
      expect(sub.providers).toEqual([]);
      expect(logger.warnings('cache file')).toHaveLength(1);
    });
  });
}
