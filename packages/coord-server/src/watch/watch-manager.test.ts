import { describe, expect, it } from 'vitest';
import { EventType, type Id, JuteError } from '@paddock/coord-protocol';
import { type Watcher, type WatchSink, WatcherMode, WatchManager as Tables } from './watch-manager.js';

type TestWatcher = Watcher & { got: string[] };

function watcher(authInfo: Id[]): TestWatcher {
  return { authInfo, got: [] };
}

/** Each watcher records the events the table sends it. */
const sink: WatchSink<TestWatcher> = { watchEvent: (w, type, path) => w.got.push(`${type} ${path}`) };

class WatchManager extends Tables<TestWatcher> {
  constructor() {
    super(sink);
  }
}

describe('watch events and ACLs', () => {
  it('tells only watchers with READ on the node; a one-shot watch is used up either way', () => {
    const wm = new WatchManager();
    const anon = watcher([{ scheme: 'ip', id: '127.0.0.1' }]);
    const alice = watcher([{ scheme: 'ip', id: '127.0.0.1' }, { scheme: 'digest', id: 'alice:h' }]);
    const acl = [{ perms: 1, id: { scheme: 'digest', id: 'alice:h' } }];
    for (const w of [anon, alice]) wm.add('/n', w, WatcherMode.Standard);
    expect(wm.trigger('/n', EventType.NodeDataChanged, undefined, acl).size).toBe(2);
    expect([anon.got, alice.got]).toEqual([[], [`${EventType.NodeDataChanged} /n`]]);
    expect(wm.hasWatchers('/n')).toBe(false);
  });

  it('checks recursive watchers against the node the event is about', () => {
    const wm = new WatchManager();
    const anon = watcher([]);
    wm.add('/', anon, WatcherMode.PersistentRecursive);
    wm.trigger('/secret', EventType.NodeCreated, undefined, [{ perms: 31, id: { scheme: 'digest', id: 'a:b' } }]);
    wm.trigger('/open', EventType.NodeCreated, undefined, [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
    expect(anon.got).toEqual([`${EventType.NodeCreated} /open`]);
  });
});

describe("watches on jute's null path (as ZooKeeper 3.8 keeps them)", () => {
  it('never fire, and a persistent one cannot be added or removed again without MarshallingError', () => {
    const wm = new WatchManager();
    const w = watcher([]);
    wm.add(null, w, WatcherMode.Persistent);
    wm.add('/', w, WatcherMode.PersistentRecursive);
    wm.trigger('/a', EventType.NodeCreated);
    expect(w.got).toEqual([`${EventType.NodeCreated} /a`]);
    expect(() => wm.add(null, w, WatcherMode.PersistentRecursive)).toThrow(JuteError);
    // The table forgot the watch before the mode map failed; a second remove finds nothing.
    expect(() => wm.remove(null, w)).toThrow(JuteError);
    expect(wm.remove(null, w)).toBe(false);
    expect(() => wm.add(null, w, WatcherMode.Standard)).toThrow(JuteError);
  });

  it('belong to one watcher each, and go with its connection', () => {
    const wm = new WatchManager();
    const [a, b] = [watcher([]), watcher([])];
    wm.add(null, a, WatcherMode.Persistent);
    expect(wm.remove(null, b)).toBe(false);
    wm.add(null, b, WatcherMode.PersistentRecursive);
    wm.removeWatcher(a);
    wm.add(null, a, WatcherMode.Persistent);
    expect(() => wm.remove(null, b)).toThrow(JuteError);
  });
});
