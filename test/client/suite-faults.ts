import { describe, expect, it } from 'vitest';
import { AddWatchMode, Code, CoordClient, CreateMode, EventType, Ids, KeeperState, WatcherType } from '@paddock/coord-client';
import { freePort } from '../support/ports.js';
import { keeperFailure } from './suite-basics.js';
import type { SuiteContext } from './suite-context.js';
import { WatchRecorder, stateReached } from './waiting.js';

const isState = (state: number) => (e: { path: string | null; state: number }) => e.path === null && e.state === state;

export function faultTests(ctx: SuiteContext): void {
  describe('reconnect', () => {
    it('keeps the session and its watches across a dropped connection', async () => {
      const proxy = await ctx.proxy();
      const [c, other] = await Promise.all([ctx.connect({ via: proxy }), ctx.connect()]);
      const base = await ctx.prepareBase();
      await c.create(`${base}/eph`, null, { mode: CreateMode.EPHEMERAL });
      const data = new WatchRecorder();
      const child = new WatchRecorder();
      const exist = new WatchRecorder();
      await c.getData(base, data.watcher);
      await c.getChildren(base, child.watcher);
      await c.exists(`${base}/later`, exist.watcher);
      const id = c.sessionId;
      const down = stateReached(c, 'disconnected');
      proxy.cut();
      await down;
      await data.next(isState(KeeperState.Disconnected));
      await stateReached(c, 'connected');
      await data.next(isState(KeeperState.SyncConnected));
      expect(c.sessionId).toBe(id);
      await other.sync(`${base}/eph`);
      expect(await other.exists(`${base}/eph`)).not.toBeNull();
      await other.setData(base, 'x');
      await other.create(`${base}/later`);
      expect(await data.next()).toMatchObject({ type: EventType.NodeDataChanged, path: base });
      expect(await child.next()).toMatchObject({ type: EventType.NodeChildrenChanged, path: base });
      expect(await exist.next()).toMatchObject({ type: EventType.NodeCreated, path: `${base}/later` });
    });

    it('moves to another host of the connect string when its server goes away', async () => {
      const [p1, p2] = await Promise.all([ctx.proxy(), ctx.proxy()]);
      const dead = await freePort();
      const c = await CoordClient.connect(`127.0.0.1:${dead},${p1.connectString},${p2.connectString}`, {
        sessionTimeout: 10_000, retry: { baseDelayMs: 10 },
      });
      try {
        const base = await ctx.prepareBase();
        await c.sync(base);
        const w = new WatchRecorder();
        await c.getData(base, w.watcher);
        const [used, spare] = p1.connections > 0 ? [p1, p2] : [p2, p1];
        expect(spare.connections).toBe(0);
        const id = c.sessionId;
        const down = stateReached(c, 'disconnected');
        used.refuse();
        used.cut();
        await down;
        await stateReached(c, 'connected');
        expect(spare.connections).toBe(1);
        expect(c.sessionId).toBe(id);
        await (await ctx.connect()).setData(base, 'moved');
        expect(await w.next()).toMatchObject({ type: EventType.NodeDataChanged, path: base });
      } finally {
        await c.close();
      }
    });

    it('re-sends persistent watches (SetWatches2) and credentials', async () => {
      const proxy = await ctx.proxy();
      const [c, other] = await Promise.all([ctx.connect({ via: proxy }), ctx.connect()]);
      const base = await ctx.prepareBase();
      await c.addAuth('digest', 'bob:pw');
      await c.create(`${base}/private`, 'p', { acl: Ids.CREATOR_ALL_ACL });
      const rec = new WatchRecorder();
      const per = new WatchRecorder();
      await c.addWatch(base, AddWatchMode.PERSISTENT_RECURSIVE, rec.watcher);
      await c.addWatch(`${base}/private`, AddWatchMode.PERSISTENT, per.watcher);
      const down = stateReached(c, 'disconnected');
      proxy.cut();
      await down;
      await stateReached(c, 'connected');
      expect((await c.getData(`${base}/private`)).data.toString()).toBe('p');
      await other.create(`${base}/deep`);
      await other.create(`${base}/deep/er`);
      expect(await rec.next((e) => e.path === `${base}/deep/er`)).toMatchObject({ type: EventType.NodeCreated });
      await c.setData(`${base}/private`, 'q');
      expect(await per.next()).toMatchObject({ type: EventType.NodeDataChanged, path: `${base}/private` });
    });

    it('delivers changes made while disconnected once reconnected', async () => {
      const proxy = await ctx.proxy();
      const [c, other] = await Promise.all([ctx.connect({ via: proxy, retry: { baseDelayMs: 10, maxDelayMs: 50 } }), ctx.connect()]);
      const base = await ctx.prepareBase();
      await c.create(`${base}/n`, 'a');
      const w = new WatchRecorder();
      await c.getData(`${base}/n`, w.watcher);
      const down = stateReached(c, 'disconnected');
      proxy.refuse();
      proxy.cut();
      await down;
      await other.setData(`${base}/n`, 'b');
      proxy.restore();
      expect(await w.next()).toMatchObject({ type: EventType.NodeDataChanged, path: `${base}/n` });
      expect(c.state).toBe('connected');
    });

    it('fails requests in flight with ConnectionLoss', async () => {
      const proxy = await ctx.proxy();
      const c = await ctx.connect({ via: proxy });
      const base = await ctx.prepareBase();
      proxy.hold();
      const inFlight = c.getData(base).catch((e: unknown) => e);
      const inFlight2 = c.multi([{ type: 'check', path: base, version: 0 }]).catch((e: unknown) => e);
      proxy.cut();
      expect(await inFlight).toMatchObject({ code: Code.ConnectionLoss, path: base });
      expect(await inFlight2).toMatchObject({ code: Code.ConnectionLoss });
      proxy.restore();
      await stateReached(c, 'connected');
      expect(await c.exists(base)).not.toBeNull();
    });

    it('holds calls made while disconnected and sends them once reconnected', async () => {
      const proxy = await ctx.proxy();
      const c = await ctx.connect({ via: proxy });
      const base = await ctx.prepareBase();
      const down = stateReached(c, 'disconnected');
      // New connections open but stay silent until restore(), so no attempt fails meanwhile.
      proxy.hold();
      proxy.cut();
      await down;
      const later = c.setData(base, 'later');
      const read = c.getData(base);
      proxy.restore();
      expect((await later).version).toBe(1);
      expect((await read).data.toString()).toBe('later');
      expect(c.state).toBe('connected');
    });

    it('removes watches locally while disconnected when asked to', async () => {
      const proxy = await ctx.proxy();
      const c = await ctx.connect({ via: proxy });
      const base = await ctx.prepareBase();
      const w = new WatchRecorder();
      await c.getData(base, w.watcher);
      const down = stateReached(c, 'disconnected');
      proxy.refuse();
      proxy.cut();
      await down;
      expect((await keeperFailure(c.removeWatches(base, WatcherType.Data, w.watcher))).code).toBe(Code.ConnectionLoss);
      await c.removeWatches(base, WatcherType.Data, w.watcher, true);
      expect(await w.next((e) => e.type === EventType.DataWatchRemoved)).toEqual({
        type: EventType.DataWatchRemoved, state: KeeperState.Disconnected, path: base,
      });
    });

    it('re-registers a watch set larger than one SetWatches packet', async () => {
      const proxy = await ctx.proxy();
      const [c, other] = await Promise.all([ctx.connect({ via: proxy }), ctx.connect()]);
      const base = await ctx.prepareBase();
      const w = new WatchRecorder();
      const long = 'x'.repeat(900);
      // 200 exists watches of ~900 characters each: about 180 KB of paths, two packets.
      await Promise.all(Array.from({ length: 200 }, (_, i) => c.exists(`${base}/${long}${i}`, w.watcher)));
      const down = stateReached(c, 'disconnected');
      proxy.cut();
      await down;
      await stateReached(c, 'connected');
      await other.create(`${base}/${long}0`);
      await other.create(`${base}/${long}199`);
      expect(await w.next()).toMatchObject({ type: EventType.NodeCreated, path: `${base}/${long}0` });
      expect(await w.next()).toMatchObject({ type: EventType.NodeCreated, path: `${base}/${long}199` });
    });
  });

  describe('session end', () => {
    it('expires after being cut off past the session timeout, and stays dead', async () => {
      const proxy = await ctx.proxy();
      const c = await ctx.connect({ via: proxy, sessionTimeout: 1000, retry: { baseDelayMs: 10, maxDelayMs: 100 } });
      const observer = await ctx.connect();
      const base = await ctx.prepareBase();
      await c.create(`${base}/eph`, null, { mode: CreateMode.EPHEMERAL });
      const w = new WatchRecorder();
      await c.getData(base, w.watcher);
      const gone = new WatchRecorder();
      await observer.sync(`${base}/eph`);
      await observer.exists(`${base}/eph`, gone.watcher);
      const down = stateReached(c, 'disconnected');
      proxy.blackhole();
      await down;
      // The server deletes the ephemeral when it expires the session.
      expect(await gone.next()).toMatchObject({ type: EventType.NodeDeleted, path: `${base}/eph` });
      const expired = stateReached(c, 'expired');
      proxy.cut();
      proxy.restore();
      await expired;
      expect(await w.next(isState(KeeperState.Expired))).toMatchObject({ type: EventType.None, path: null });
      expect((await keeperFailure(c.exists('/'))).code).toBe(Code.SessionExpired);
      expect(c.state).toBe('expired');
    });

    it('close() ends the session at once and later calls fail', async () => {
      const [c, observer] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      await c.create(`${base}/eph`, null, { mode: CreateMode.EPHEMERAL });
      const gone = new WatchRecorder();
      await observer.sync(`${base}/eph`);
      await observer.exists(`${base}/eph`, gone.watcher);
      const w = new WatchRecorder();
      await c.getData(base, w.watcher);
      const states: string[] = [];
      c.on('state', (s) => states.push(s));
      c.on('closing', () => states.push(`closing while ${c.state}`));
      // A listener that throws is logged; the session closes all the same.
      c.on('closing', () => { throw new Error('a closing listener failed'); });
      const closing = c.close();
      // Said at once, before closeSession leaves (see the election test in test/recipes).
      expect(states).toEqual(['closing while connected']);
      await closing;
      expect(c.state).toBe('closed');
      expect(await gone.next()).toMatchObject({ type: EventType.NodeDeleted });
      expect(await w.next(isState(KeeperState.Closed))).toMatchObject({ type: EventType.None });
      expect(states).toEqual(['closing while connected', 'closed']);
      expect((await keeperFailure(c.getData(base))).code).toBe(Code.SessionExpired);
      // A second close() says nothing more.
      await c.close();
      expect(states).toHaveLength(2);
    });
  });
}
