import { describe, expect, it } from 'vitest';
import { Code, EventType, KeeperError, KeeperState, type CoordClient, type Stat, type Watcher } from '@paddock/coord-client';
import { ChildrenWatch, EVENT_LOG_LIMIT } from './children-watch.js';

/** Answers getChildren/exists from a scripted tree and remembers the watchers it was given. */
class FakeClient {
  children: string[] | null = [];
  fail: KeeperError | null = null;
  reads = 0;
  readonly childWatchers = new Set<Watcher>();
  readonly existWatchers = new Set<Watcher>();
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};

  /** Holds the next replies until `release()`. */
  hold(): void {
    this.gate = new Promise((r) => { this.open = r; });
  }

  release(): void {
    this.open();
    this.gate = Promise.resolve();
  }

  /** Set: the server has addWatch and keeps these persistent recursive watchers. */
  persistent: Set<Watcher> | null = null;
  removed = 0;

  async addWatch(_path: string, _mode: number, watcher: Watcher): Promise<void> {
    await Promise.resolve();
    if (this.fail) throw this.fail;
    if (this.persistent === null) throw new KeeperError(Code.Unimplemented, '/p');
    this.persistent.add(watcher);
  }

  async removeWatches(_path: string, _type: number, watcher: Watcher): Promise<void> {
    this.removed++;
    this.persistent?.delete(watcher);
  }

  async getChildren(_path: string, watcher?: Watcher): Promise<string[]> {
    this.reads++;
    await this.gate;
    if (this.fail) throw this.fail;
    if (this.children === null) throw new KeeperError(Code.NoNode, '/p');
    if (watcher) this.childWatchers.add(watcher);
    return [...this.children];
  }

  /** Tells the persistent watchers of an event at `path`. */
  emit(type: number, path: string): void {
    for (const w of this.persistent ?? []) w({ type: type as never, state: KeeperState.SyncConnected as never, path });
  }

  async exists(_path: string, watcher: Watcher): Promise<Stat | null> {
    this.existWatchers.add(watcher);
    return this.children === null ? null : ({} as Stat);
  }

  /** Fires the child watches once (one-shot) with an event. */
  fire(type: number = EventType.NodeChildrenChanged): void {
    const ws = [...this.childWatchers, ...this.existWatchers];
    this.childWatchers.clear();
    this.existWatchers.clear();
    for (const w of ws) w({ type: type as never, state: KeeperState.SyncConnected as never, path: '/p' });
  }
}

function sinkRecorder() {
  const lists: string[][] = [];
  const outages: unknown[] = [];
  const failures: unknown[] = [];
  return {
    lists, outages, failures,
    sink: { children: (n: readonly string[]) => { lists.push([...n]); }, outage: (e: unknown) => { outages.push(e); }, failed: (e: unknown) => { failures.push(e); } },
  };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
const asClient = (c: FakeClient): CoordClient => c as unknown as CoordClient;

describe('ChildrenWatch', () => {
  it('reads the whole list with a watch and reads again (re-arming) after each event', async () => {
    const c = new FakeClient();
    const r = sinkRecorder();
    const w = new ChildrenWatch('/p', r.sink);
    c.children = ['a'];
    w.attach(asClient(c));
    await settle();
    c.children = ['a', 'b'];
    c.fire();
    await settle();
    expect(r.lists).toEqual([['a'], ['a', 'b']]);
    expect(c.childWatchers.size).toBe(1);
    expect(w.current).toBe(true);
    expect(w.watchMode).toBe('oneShot'); // addWatch answered Unimplemented
  });

  it('ignores connection-state events; coalesces events that come during a read', async () => {
    const c = new FakeClient();
    const r = sinkRecorder();
    const w = new ChildrenWatch('/p', r.sink);
    w.attach(asClient(c));
    await settle();
    const [watcher] = [...c.childWatchers];
    watcher!({ type: EventType.None as never, state: KeeperState.Disconnected as never, path: null });
    expect(c.reads).toBe(1);
    c.hold();
    c.fire();
    c.fire(); // Nothing armed any more: one-shot.
    void w.read();
    void w.read();
    c.release();
    await settle();
    expect(c.reads).toBe(3);
  });

  it('keeps the last list on an outage (no empty list) and reads again once connected', async () => {
    const c = new FakeClient();
    const r = sinkRecorder();
    const w = new ChildrenWatch('/p', r.sink);
    c.children = ['a'];
    w.attach(asClient(c));
    await settle();
    c.fail = new KeeperError(Code.ConnectionLoss, '/p');
    c.fire();
    await settle();
    expect(r.outages).toHaveLength(1);
    expect(r.lists).toEqual([['a']]);
    expect(w.current).toBe(false);
    c.fail = null;
    c.children = [];
    w.onConnected();
    await settle();
    expect(r.lists).toEqual([['a'], []]);
    expect(w.current).toBe(true);
    c.fail = new KeeperError(Code.NoAuth, '/p');
    c.fire();
    await settle();
    expect(r.failures).toHaveLength(1);
  });

  it('reports a missing node as empty and lists it once created (exists watch)', async () => {
    const c = new FakeClient();
    const r = sinkRecorder();
    const w = new ChildrenWatch('/p', r.sink);
    c.children = null;
    w.attach(asClient(c));
    await settle();
    expect(r.lists).toEqual([[]]);
    expect(c.existWatchers.size).toBe(1);
    c.children = ['x'];
    c.fire(EventType.NodeCreated);
    await settle();
    expect(r.lists).toEqual([[], ['x']]);
  });

  it('after attach to a new session, events of the old session are ignored; stop() ends it', async () => {
    const old = new FakeClient();
    const r = sinkRecorder();
    const w = new ChildrenWatch('/p', r.sink);
    w.attach(asClient(old));
    await settle();
    const next = new FakeClient();
    next.children = ['n'];
    w.attach(asClient(next));
    await settle();
    old.fire();
    await settle();
    expect(old.reads).toBe(1);
    expect(r.lists).toEqual([[], ['n']]);
    w.stop();
    next.fire();
    await settle();
    expect(next.reads).toBe(1);
  });

  describe('with a persistent recursive watch', () => {
    const persistentClient = (children: string[]): FakeClient => {
      const c = new FakeClient();
      c.persistent = new Set();
      c.children = children;
      return c;
    };
    /** A watch attached to a persistent-capable client; with `held`, its first read waits for `release()`. */
    const attached = async (children: string[], held = false) => {
      const c = persistentClient(children);
      const r = sinkRecorder();
      const w = new ChildrenWatch('/p', r.sink);
      if (held) c.hold();
      w.attach(asClient(c));
      await settle();
      return { c, r, w };
    };

    it('reads once, then edits the list from child events alone, one publish per batch', async () => {
      const { c, r, w } = await attached(['a']);
      expect(w.watchMode).toBe('persistent');
      expect(r.lists).toEqual([['a']]);
      c.emit(EventType.NodeCreated, '/p/b');
      c.emit(EventType.NodeCreated, '/p/c');
      await settle();
      c.emit(EventType.NodeDeleted, '/p/a');
      // Not about a child of /p: the node itself, a grandchild, data, a sibling with a shared prefix.
      c.emit(EventType.NodeDataChanged, '/p/b');
      c.emit(EventType.NodeCreated, '/p/b/x');
      c.emit(EventType.NodeCreated, '/pq');
      c.emit(EventType.NodeDeleted, '/p');
      await settle();
      c.emit(EventType.NodeCreated, '/p/c'); // already listed: no change, no publish
      await settle();
      expect(r.lists).toEqual([['a'], ['a', 'b', 'c'], ['b', 'c']]);
      expect(c.reads).toBe(1);
      expect(c.childWatchers.size).toBe(0);
      expect(w.current).toBe(true);
    });

    it('replays events that came while the read was out onto its result', async () => {
      const { c, r } = await attached(['a'], true);
      // The reply reflects the creation of b; the deletion of a comes after it on the wire but
      // reaches the watcher before the reply's continuation runs.
      c.children = ['a', 'b'];
      c.emit(EventType.NodeCreated, '/p/b');
      c.emit(EventType.NodeDeleted, '/p/a');
      c.release();
      await settle();
      expect(r.lists).toEqual([['b']]);
    });

    it('past EVENT_LOG_LIMIT events during a read, publishes the read as it came and reads again', async () => {
      const { c, r } = await attached(['a'], true);
      for (let i = 0; i <= EVENT_LOG_LIMIT; i++) c.emit(EventType.NodeCreated, `/p/n${i}`);
      c.children = ['a', 'b'];
      c.release();
      await settle();
      expect(r.lists).toEqual([['a', 'b'], ['a', 'b']]);
      expect(c.reads).toBe(2);
    });

    it('reads again after a reconnect, since events are not replayed; a read out at the drop does not count', async () => {
      const { c, r, w } = await attached(['a']);
      w.onDisconnected();
      expect(w.current).toBe(false);
      c.children = ['z'];
      w.onConnected();
      await settle();
      expect(r.lists).toEqual([['a'], ['z']]);
      expect(w.current).toBe(true);
      // The connection drops while a read is out, and its reply still arrives.
      c.hold();
      void w.read();
      w.onDisconnected();
      c.release();
      await settle();
      expect(w.current).toBe(false);
      c.children = ['y'];
      w.onConnected();
      await settle();
      expect(r.lists).toEqual([['a'], ['z'], ['z'], ['y']]);
      expect(c.reads).toBe(4);
    });

    it('an outage at addWatch is retried on connect; a missing node lists empty until children come', async () => {
      const c = persistentClient([]);
      c.children = null;
      c.fail = new KeeperError(Code.ConnectionLoss, '/p');
      const r = sinkRecorder();
      const w = new ChildrenWatch('/p', r.sink);
      w.attach(asClient(c));
      await settle();
      expect(r.outages).toHaveLength(1);
      expect(w.watchMode).toBe(null);
      c.fail = null;
      w.onConnected();
      await settle();
      expect(r.lists).toEqual([[]]);
      c.emit(EventType.NodeCreated, '/p');
      c.emit(EventType.NodeCreated, '/p/x');
      await settle();
      expect(r.lists).toEqual([[], ['x']]);
    });

    it('forced persistent mode reports a server without addWatch; stop() removes the watch', async () => {
      const old = new FakeClient();
      const r = sinkRecorder();
      new ChildrenWatch('/p', r.sink, 'persistent').attach(asClient(old));
      await settle();
      expect(r.failures).toHaveLength(1);
      expect((r.failures[0] as KeeperError).code).toBe(Code.Unimplemented);

      const c = persistentClient(['a']);
      const w = new ChildrenWatch('/p', r.sink);
      w.attach(asClient(c));
      await settle();
      w.stop();
      await settle();
      expect(c.removed).toBe(1);
      expect(c.persistent?.size).toBe(0);
      c.emit(EventType.NodeCreated, '/p/b');
      await settle();
      expect(r.lists).toEqual([['a']]);
    });
  });
});
