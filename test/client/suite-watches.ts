import { describe, expect, it } from 'vitest';
import { AddWatchMode, Code, EventType, KeeperState, WatcherType, type WatchedEvent } from '@paddock/coord-client';
import { keeperFailure } from './suite-basics.js';
import type { SuiteContext } from './suite-context.js';
import { WatchRecorder } from './waiting.js';

const node = (type: number, path: string): Partial<WatchedEvent> => ({ type: type as WatchedEvent['type'], path });

export function watchTests(ctx: SuiteContext): void {
  describe('one-shot watches', () => {
    it('a data watch fires once on change, and a later read re-arms it', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const p = `${base}/d`;
      await c.create(p, 'a');
      const w = new WatchRecorder();
      await c.getData(p, w.watcher);
      await other.setData(p, 'b');
      expect(await w.next()).toEqual({ type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: p });
      await other.setData(p, 'c');
      // The server delivers a watch event before the reply to any later request, so this read is
      // a barrier, once c's server has the change (sync: on an ensemble it may not yet).
      await c.sync(p);
      await c.getData(p, w.watcher);
      expect(w.nodeEvents).toHaveLength(1);
      await other.delete(p);
      expect(await w.next()).toMatchObject(node(EventType.NodeDeleted, p));
    });

    it('an exists watch set on a missing node fires NodeCreated', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const w = new WatchRecorder();
      expect(await c.exists(`${base}/later`, w.watcher)).toBeNull();
      await other.create(`${base}/later`);
      expect(await w.next()).toMatchObject(node(EventType.NodeCreated, `${base}/later`));
      expect(await c.exists(`${base}/later`, w.watcher)).not.toBeNull();
      await other.setData(`${base}/later`, 'x');
      expect(await w.next()).toMatchObject(node(EventType.NodeDataChanged, `${base}/later`));
    });

    it('a child watch fires on child changes and on deletion of the node', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const p = `${base}/parent`;
      await c.create(p);
      const w = new WatchRecorder();
      expect(await c.getChildren(p, w.watcher)).toEqual([]);
      await other.create(`${p}/kid`);
      expect(await w.next()).toMatchObject(node(EventType.NodeChildrenChanged, p));
      await other.setData(p, 'data changes do not reach child watches');
      await c.getChildren2(p, w.watcher);
      await other.delete(`${p}/kid`);
      expect(await w.next()).toMatchObject(node(EventType.NodeChildrenChanged, p));
      await c.getChildren(p, w.watcher);
      await other.delete(p);
      expect(await w.next()).toMatchObject(node(EventType.NodeDeleted, p));
      expect(w.nodeEvents.map((e) => e.type)).toEqual([
        EventType.NodeChildrenChanged, EventType.NodeChildrenChanged, EventType.NodeDeleted,
      ]);
    });

    it('calls a watcher set by getData and exists on the same node once per event', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const p = `${base}/both`;
      await c.create(p);
      const w = new WatchRecorder();
      await c.getData(p, w.watcher);
      await c.exists(p, w.watcher);
      await c.getChildren(p, w.watcher);
      await other.delete(p);
      await w.next();
      await c.exists(p);
      expect(w.nodeEvents).toEqual([{ type: EventType.NodeDeleted, state: KeeperState.SyncConnected, path: p }]);
    });

    it('registers a watch only when the read succeeds', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const w = new WatchRecorder();
      expect((await keeperFailure(c.getData(`${base}/nope`, w.watcher))).code).toBe(Code.NoNode);
      expect((await keeperFailure(c.getChildren(`${base}/nope`, w.watcher))).code).toBe(Code.NoNode);
      await other.create(`${base}/nope`);
      await other.create(`${base}/nope/kid`);
      // On an ensemble c's member may not have other's creates yet: sync, then read as a barrier.
      await c.sync(`${base}/nope`);
      await c.exists(`${base}/nope`);
      expect(w.nodeEvents).toEqual([]);
      expect((await keeperFailure(c.removeWatches(`${base}/nope`, WatcherType.Any))).code).toBe(Code.NoWatcher);
    });
  });

  describe('persistent watches', () => {
    it('a persistent watch sees every event on its node and stays', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const p = `${base}/p`;
      const w = new WatchRecorder();
      await c.addWatch(p, AddWatchMode.PERSISTENT, w.watcher);
      await other.create(p);
      await other.setData(p, '1');
      await other.setData(p, '2');
      await other.create(`${p}/kid`);
      await other.create(`${p}/kid/grandkid`);
      await other.delete(`${p}/kid/grandkid`);
      await other.delete(`${p}/kid`);
      await other.delete(p);
      await w.next((e) => e.type === EventType.NodeDeleted);
      expect(w.nodeEvents).toEqual([
        EventType.NodeCreated, EventType.NodeDataChanged, EventType.NodeDataChanged,
        EventType.NodeChildrenChanged, EventType.NodeChildrenChanged, EventType.NodeDeleted,
      ].map((type) => ({ type, state: KeeperState.SyncConnected, path: p })));
    });

    it('a recursive watch sees its subtree but no NodeChildrenChanged', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const w = new WatchRecorder();
      await c.addWatch(base, AddWatchMode.PERSISTENT_RECURSIVE, w.watcher);
      await other.create(`${base}/a`);
      await other.create(`${base}/a/b`);
      await other.setData(`${base}/a/b`, 'x');
      await other.delete(`${base}/a/b`);
      await other.setData(base, 'y');
      await w.next((e) => e.type === EventType.NodeDataChanged && e.path === base);
      expect(w.nodeEvents.map((e) => [e.type, e.path])).toEqual([
        [EventType.NodeCreated, `${base}/a`],
        [EventType.NodeCreated, `${base}/a/b`],
        [EventType.NodeDataChanged, `${base}/a/b`],
        [EventType.NodeDeleted, `${base}/a/b`],
        [EventType.NodeDataChanged, base],
      ]);
    });

    it('a one-shot and a recursive watch on the same node both fire', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const once = new WatchRecorder();
      const all = new WatchRecorder();
      await c.addWatch(base, AddWatchMode.PERSISTENT_RECURSIVE, all.watcher);
      await c.create(`${base}/n`);
      await c.getData(`${base}/n`, once.watcher);
      await other.setData(`${base}/n`, 'x');
      expect(await once.next()).toMatchObject(node(EventType.NodeDataChanged, `${base}/n`));
      expect(await all.next((e) => e.type === EventType.NodeDataChanged)).toMatchObject(node(EventType.NodeDataChanged, `${base}/n`));
    });
  });

  describe('removing watches', () => {
    it('removes one listener, tells it, and leaves the others', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const p = `${base}/r`;
      await c.create(p);
      const gone = new WatchRecorder();
      const kept = new WatchRecorder();
      await c.getData(p, gone.watcher);
      await c.getData(p, kept.watcher);
      await c.checkWatches(p, WatcherType.Data);
      await c.removeWatches(p, WatcherType.Data, gone.watcher);
      expect(await gone.next()).toEqual({ type: EventType.DataWatchRemoved, state: KeeperState.SyncConnected, path: p });
      await other.setData(p, 'x');
      expect(await kept.next()).toMatchObject(node(EventType.NodeDataChanged, p));
      await c.exists(p);
      expect(gone.nodeEvents).toHaveLength(1);
      expect((await keeperFailure(c.removeWatches(p, WatcherType.Data, gone.watcher))).code).toBe(Code.NoWatcher);
    });

    it('removes all watches of a type; the server forgets them too', async () => {
      const [c, other] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      const p = `${base}/r`;
      await c.create(p);
      const data = new WatchRecorder();
      const child = new WatchRecorder();
      const persistent = new WatchRecorder();
      await c.getData(p, data.watcher);
      await c.getChildren(p, child.watcher);
      await c.removeWatches(p, WatcherType.Children);
      expect(await child.next()).toMatchObject(node(EventType.ChildWatchRemoved, p));
      expect((await keeperFailure(c.checkWatches(p, WatcherType.Children))).code).toBe(Code.NoWatcher);
      await c.checkWatches(p, WatcherType.Data);
      await c.addWatch(p, AddWatchMode.PERSISTENT, persistent.watcher);
      await c.removeWatches(p, WatcherType.Any);
      expect(await data.next()).toMatchObject(node(EventType.DataWatchRemoved, p));
      expect(await persistent.next()).toMatchObject(node(EventType.PersistentWatchRemoved, p));
      await other.setData(p, 'x');
      await other.create(`${p}/kid`);
      await c.sync(p);
      await c.getData(p);
      expect([...data.nodeEvents, ...child.nodeEvents, ...persistent.nodeEvents].map((e) => e.type)).toEqual([
        EventType.DataWatchRemoved, EventType.ChildWatchRemoved, EventType.PersistentWatchRemoved,
      ]);
    });

  });
}
