import { describe, expect, it } from 'vitest';
import { EventType, WatcherType } from '@paddock/coord-protocol';
import type { Watcher } from './types.js';
import { WatchManager, pathAndAncestors, type WatchKind } from './watch-manager.js';

const named = (name: string): Watcher & { label: string } => Object.assign(() => undefined, { label: name });
const labels = (set: Set<Watcher>): string[] => [...set].map((w) => (w as Watcher & { label: string }).label).sort();

/** One watcher of each kind on /a, plus recursive ones on / and /a and a persistent one on /a/b. */
function populated(): WatchManager {
  const m = new WatchManager();
  const kinds: WatchKind[] = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];
  for (const k of kinds) m.add(k, '/a', named(`${k}@/a`));
  m.add('persistentRecursive', '/', named('recursive@/'));
  m.add('persistent', '/a/b', named('persistent@/a/b'));
  m.add('data', '/a/b', named('data@/a/b'));
  return m;
}

describe('WatchManager routing (ZKWatchManager.materialize)', () => {
  it.each([
    [EventType.NodeCreated, '/a', ['data@/a', 'exist@/a', 'persistent@/a', 'persistentRecursive@/a', 'recursive@/']],
    [EventType.NodeDataChanged, '/a', ['data@/a', 'exist@/a', 'persistent@/a', 'persistentRecursive@/a', 'recursive@/']],
    [EventType.NodeChildrenChanged, '/a', ['child@/a', 'persistent@/a']],
    [EventType.NodeDeleted, '/a', ['child@/a', 'data@/a', 'exist@/a', 'persistent@/a', 'persistentRecursive@/a', 'recursive@/']],
    [EventType.NodeDataChanged, '/a/b', ['data@/a/b', 'persistent@/a/b', 'persistentRecursive@/a', 'recursive@/']],
    [EventType.NodeChildrenChanged, '/a/b', ['persistent@/a/b']],
    [EventType.NodeCreated, '/a/b/c', ['persistentRecursive@/a', 'recursive@/']],
    [EventType.NodeCreated, '/ab', ['recursive@/']],
    [EventType.None, '/a', []],
    [EventType.DataWatchRemoved, '/a', []],
  ])('event type %i on %s reaches %j', (type, path, expected) => {
    expect(labels(populated().materialize(type, path))).toEqual(expected);
  });

  it('routes the same with many recursive watches (looked up by ancestor) as with few (scanned)', () => {
    const m = populated();
    for (let i = 0; i < 12; i++) m.add('persistentRecursive', `/a/b${i}`, named(`recursive@/a/b${i}`));
    m.add('persistentRecursive', '/a/b/c', named('recursive@/a/b/c'));
    expect(labels(m.materialize(EventType.NodeCreated, '/a/b/c'))).toEqual(['persistentRecursive@/a', 'recursive@/', 'recursive@/a/b/c']);
    expect(labels(m.materialize(EventType.NodeCreated, '/a/b1/x'))).toEqual(['persistentRecursive@/a', 'recursive@/', 'recursive@/a/b1']);
    expect(labels(m.materialize(EventType.NodeCreated, '/a/b'))).toEqual(['data@/a/b', 'persistent@/a/b', 'persistentRecursive@/a', 'recursive@/']);
  });

  it('removes one-shot watches when they fire and keeps persistent ones', () => {
    const m = populated();
    m.materialize(EventType.NodeDataChanged, '/a');
    expect(labels(m.materialize(EventType.NodeDataChanged, '/a'))).toEqual(['persistent@/a', 'persistentRecursive@/a', 'recursive@/']);
    expect(m.paths('child')).toEqual(['/a']);
    m.materialize(EventType.NodeDeleted, '/a');
    expect(m.paths('child')).toEqual([]);
    expect(m.paths('persistent').sort()).toEqual(['/a', '/a/b']);
  });

  it('calls a watcher registered in several tables once per event', () => {
    const m = new WatchManager();
    const w = named('w');
    m.add('data', '/x', w);
    m.add('exist', '/x', w);
    m.add('data', '/x', w);
    m.add('persistentRecursive', '/', w);
    expect([...m.materialize(EventType.NodeCreated, '/x')]).toEqual([w]);
  });

  it('gives state events to every watcher once, without removing any', () => {
    const m = populated();
    expect(m.all().size).toBe(8);
    expect(m.size).toBe(8);
    expect(m.all().size).toBe(8);
  });

  it('lists ancestors nearest first', () => {
    expect([...pathAndAncestors('/a/b/c')]).toEqual(['/a/b/c', '/a/b', '/a', '/']);
    expect([...pathAndAncestors('/')]).toEqual(['/']);
  });
});

describe('WatchManager removal (ZKWatchManager.removeWatcher)', () => {
  it.each([
    [WatcherType.Children, { [EventType.ChildWatchRemoved]: ['child@/a'] }],
    [WatcherType.Data, { [EventType.DataWatchRemoved]: ['data@/a', 'exist@/a'] }],
    [WatcherType.Any, {
      [EventType.ChildWatchRemoved]: ['child@/a'], [EventType.DataWatchRemoved]: ['data@/a', 'exist@/a'],
      [EventType.PersistentWatchRemoved]: ['persistent@/a', 'persistentRecursive@/a'],
    }],
  ])('watcher type %i removes all of its tables on the path', (type, expected) => {
    const m = populated();
    expect(m.contains('/a', type)).toBe(true);
    const removed = m.remove('/a', type);
    expect(Object.fromEntries([...removed!].map(([t, set]) => [t, labels(set)]))).toEqual(expected);
    // Persistent watches count for every type but only Any removes them (ZooKeeper 3.8's client).
    expect(m.contains('/a', type)).toBe(type !== WatcherType.Any);
    expect(m.remove('/a', type)).toBeNull();
    const kept = type === WatcherType.Any ? [] : ['persistentRecursive@/a'];
    expect(labels(m.materialize(EventType.NodeDataChanged, '/a/b')).sort()).toEqual(['data@/a/b', 'persistent@/a/b', ...kept, 'recursive@/'].sort());
  });

  it('removes a single watcher and leaves the others on the path', () => {
    const m = new WatchManager();
    const [a, b] = [named('a'), named('b')];
    m.add('data', '/x', a);
    m.add('data', '/x', b);
    expect(m.contains('/x', WatcherType.Data, a)).toBe(true);
    expect(m.contains('/x', WatcherType.Children, a)).toBe(false);
    expect(labels(m.remove('/x', WatcherType.Data, a)!.get(EventType.DataWatchRemoved)!)).toEqual(['a']);
    expect(m.remove('/x', WatcherType.Data, a)).toBeNull();
    expect(labels(m.materialize(EventType.NodeDataChanged, '/x'))).toEqual(['b']);
  });
});
