import { describe, expect, it } from 'vitest';
import { EventType, type Id } from '@paddock/coord-protocol';
import { type Watcher, WatcherMode, WatchManager } from './watch-manager.js';

function watcher(authInfo: Id[]): Watcher & { got: string[] } {
  const got: string[] = [];
  return { authInfo, got, process: (type, _state, path) => got.push(`${type} ${path}`) };
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
