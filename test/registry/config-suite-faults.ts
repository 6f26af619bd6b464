import { describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { ConfigCenter, Registry, RegistryError, type ConfigCenterConnectOptions } from '@paddock/registry';
import { freePort } from '../support/ports.js';
import type { SuiteContext } from '../client/suite-context.js';
import type { TcpProxy } from '../client/tcp-proxy.js';
import { stateReached } from '../client/waiting.js';
import type { Open } from './config-suite.js';
import { UpdateRecorder, nextEvent } from './config-waiting.js';

/** The config center suite's part on lost connections and expired sessions (see config-suite.ts). */
export function faults(ctx: SuiteContext, center: Open, owned: (cs: string, o?: ConfigCenterConnectOptions) => Promise<ConfigCenter>, ns: () => string): void {
  describe('lost connections and sessions', () => {
    it('keeps watches across a dropped connection and delivers what changed meanwhile', async () => {
      const [reader, writer] = await Promise.all([center(), center()]);
      const n = ns();
      const rec = new UpdateRecorder();
      const t = await reader.toggle(n, 'flag', false);
      await reader.watch(n, 'k', rec.listener);
      const id = reader.client.sessionId;
      reader.client.dropConnection();
      expect(reader.client.state).toBe('disconnected');
      await writer.set(n, 'k', 'while away');
      await writer.set(n, 'flag', true);
      expect(await rec.nextValue()).toBe('while away');
      await stateReached(reader.client, 'connected');
      if (!t.value) await nextEvent(t, 'change');
      expect(t.value).toBe(true);
      expect(reader.client.sessionId).toBe(id);
      await writer.set(n, 'k', 'after');
      expect(await rec.nextValue()).toBe('after');
    });

    it('re-reads a key whose first read was lost with the connection', async () => {
      const proxy = await ctx.proxy();
      const reader = await center({ via: proxy });
      const writer = await center();
      const n = ns();
      await writer.set(n, 'k', 1);
      // On an ensemble the reader's member may lag the write until the reader syncs.
      await reader.client.sync(`/config/${n}`);
      proxy.hold();
      const rec = new UpdateRecorder();
      const watching = reader.watch(n, 'k', rec.listener);
      proxy.cut();
      proxy.restore();
      await watching;
      expect(rec.updates).toMatchObject([{ kind: 'value', value: 1 }]);
      await rec.next();
      await writer.set(n, 'k', 2);
      expect(await rec.nextValue()).toBe(2);
    });

    it('reports an expired session and, owning it, opens a new one and re-arms every watch', async () => {
      const proxy = await ctx.proxy();
      const cfg = await owned(proxy.connectString);
      const writer = await center();
      const n = ns();
      const rec = new UpdateRecorder();
      await cfg.watch(n, 'k', rec.listener);
      const t = await cfg.toggle(n, 't', false);
      const old = cfg.client;
      const expired = nextEvent(cfg, 'expired');
      const renewed = nextEvent<[CoordClient]>(cfg, 'session');
      await expireSession(ctx, old, proxy);
      await expired;
      expect(old.state).toBe('expired');
      await writer.set(n, 'k', 'during renewal');
      await writer.set(n, 't', true);
      const [fresh] = await renewed;
      expect(fresh).toBe(cfg.client);
      expect(fresh.sessionId).not.toBe(old.sessionId);
      expect(await rec.nextValue()).toBe('during renewal');
      if (!t.value) await nextEvent(t, 'change');
      await writer.set(n, 'k', 'on the new session');
      expect(await rec.nextValue()).toBe('on the new session');
      expect(await cfg.get(n, 't')).toBe(true);
    });

    it('follows a registry to its next session after an expiry, and leaves the registry open when closed', async () => {
      const proxy = await ctx.proxy();
      const registry = await Registry.connect(proxy.connectString, { sessionTimeout: 10_000, reconnect: { baseDelayMs: 10 } });
      try {
        const cfg = ConfigCenter.forRegistry(registry);
        const writer = await center();
        const n = ns();
        const t = await cfg.toggle(n, 'beta', false);
        const old = cfg.client;
        expect(old).toBe(registry.client);
        const renewed = nextEvent<[CoordClient]>(cfg, 'session');
        await expireSession(ctx, old, proxy);
        await writer.set(n, 'beta', true);
        const [fresh] = await renewed;
        expect(fresh).toBe(registry.client);
        if (!t.value) await nextEvent(t, 'change');
        expect(t.value).toBe(true);
        await cfg.close();
        expect(registry.client?.state).toBe('connected');
        expect(await registry.client?.exists('/')).not.toBeNull();
      } finally {
        await registry.close();
      }
    });

    it('fails to connect with CONNECT_FAILED when no server answers', async () => {
      const err = await ConfigCenter.connect(`127.0.0.1:${await freePort()}`, { connectTimeout: 500 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryError);
      expect(err).toMatchObject({ code: 'CONNECT_FAILED' });
    });

    it("reports the expiry of a caller's session and resumes on the one attached next", async () => {
      const proxy = await ctx.proxy();
      const cfg = await center({ via: proxy });
      const writer = await center();
      const n = ns();
      const rec = new UpdateRecorder();
      await cfg.watch(n, 'k', rec.listener);
      const expired = nextEvent(cfg, 'expired');
      await expireSession(ctx, cfg.client, proxy);
      await expired;
      await writer.set(n, 'k', 'missed');
      expect(rec.updates.map((u) => u.kind)).toEqual(['missing']);
      const next = await ctx.connect();
      cfg.attach(next);
      expect(cfg.client).toBe(next);
      expect(await rec.nextValue()).toBe('missed');
    });
  });
}

/**
 * Ends a session for good without waiting for its timeout: its connection is cut and refused,
 * another client takes the session over with its id and password and closes it, then the
 * original may reconnect and hears that it expired.
 */
async function expireSession(ctx: SuiteContext, client: CoordClient, proxy: TcpProxy): Promise<void> {
  proxy.refuse();
  proxy.cut();
  await stateReached(client, 'disconnected');
  const thief = await CoordClient.connect(ctx.peer.connectString, { sessionId: client.sessionId, sessionPassword: client.sessionPassword });
  await thief.close();
  proxy.restore();
  await stateReached(client, 'expired');
}
