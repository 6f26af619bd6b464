import { describe, expect, it } from 'vitest';
import { Code, EventType, KeeperError, KeeperState, type CoordClient, type Stat, type Watcher } from '@paddock/coord-client';
import { ChildrenWatch } from './children-watch.js';

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

  async getChildren(_path: string, watcher: Watcher): Promise<string[]> {
    this.reads++;
    await this.gate;
    if (this.fail) throw this.fail;
    if (this.children === null) throw new KeeperError(Code.NoNode, '/p');
    this.childWatchers.add(watcher);
    return [...this.children];
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
});
