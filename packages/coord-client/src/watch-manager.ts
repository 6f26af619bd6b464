import { EventType, WatcherType, type EventTypeValue } from '@paddock/coord-protocol';
import type { Watcher } from './types.js';

/** The five watch tables of ZooKeeper's client (ZKWatchManager). */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';
const WATCH_KINDS: readonly WatchKind[] = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];

interface Route {
  /** One-shot tables whose watchers on the event's path fire and are removed. */
  readonly oneShot: readonly WatchKind[];
  /** Whether persistent-recursive watchers on the path and its ancestors see the event. */
  readonly recursive: boolean;
}

/**
 * Which watchers a node event reaches, as in ZKWatchManager.materialize. Persistent watchers on
 * the exact path see every type; recursive ones never see NodeChildrenChanged (the server does
 * not send it for them, and the client does not route it either).
 */
const EVENT_ROUTES: ReadonlyMap<number, Route> = new Map<number, Route>([
  [EventType.NodeCreated, { oneShot: ['data', 'exist'], recursive: true }],
  [EventType.NodeDataChanged, { oneShot: ['data', 'exist'], recursive: true }],
  [EventType.NodeChildrenChanged, { oneShot: ['child'], recursive: false }],
  [EventType.NodeDeleted, { oneShot: ['data', 'exist', 'child'], recursive: true }],
]);

/**
 * Tables a removeWatches of each WatcherType clears, and the event type the removed watchers
 * are told (ZKWatchManager.removeWatcher in 3.8): persistent watches go only with Any.
 */
const REMOVAL_ROUTES: ReadonlyMap<number, readonly (readonly [WatchKind, EventTypeValue])[]> = new Map([
  [WatcherType.Children, [['child', EventType.ChildWatchRemoved]]],
  [WatcherType.Data, [['data', EventType.DataWatchRemoved], ['exist', EventType.DataWatchRemoved]]],
  [WatcherType.Any, [
    ['child', EventType.ChildWatchRemoved],
    ['data', EventType.DataWatchRemoved],
    ['exist', EventType.DataWatchRemoved],
    ['persistent', EventType.PersistentWatchRemoved],
    ['persistentRecursive', EventType.PersistentWatchRemoved],
  ]],
] as const);

/** The path and every ancestor up to '/', nearest first (ZooKeeper's PathParentIterator.forAll). */
export function* pathAndAncestors(path: string): Generator<string> {
  let p = path;
  for (;;) {
    yield p;
    if (p === '/' || p === '') return;
    const i = p.lastIndexOf('/');
    p = i <= 0 ? '/' : p.slice(0, i);
  }
}

/** Up to this many recursive-watch paths, an event's path is tested against each of them. */
const RECURSIVE_SCAN_LIMIT = 8;

/** Whether `p` is `path` or one of its ancestors. */
function isSelfOrAncestor(p: string, path: string): boolean {
  if (p === path || p === '/') return true;
  return path.length > p.length && path.charCodeAt(p.length) === 0x2f && path.startsWith(p);
}

/**
 * The client's record of which watcher waits for what, keyed by chroot-relative path. A
 * watcher function registered twice for the same path and kind is held once, and an event
 * reaches each watcher at most once, as ZooKeeper's Set-based tables do.
 */
export class WatchManager {
  private readonly tables: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(), exist: new Map(), child: new Map(), persistent: new Map(), persistentRecursive: new Map(),
  };

  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const table = this.tables[kind];
    let set = table.get(path);
    if (!set) table.set(path, (set = new Set()));
    set.add(watcher);
  }

  /** The watchers a node event reaches; one-shot ones are removed from their tables. */
  materialize(type: number, path: string): Set<Watcher> {
    const result = new Set<Watcher>();
    const route = EVENT_ROUTES.get(type);
    if (!route) return result;
    for (const kind of route.oneShot) {
      const set = this.tables[kind].get(path);
      if (set) {
        for (const w of set) result.add(w);
        this.tables[kind].delete(path);
      }
    }
    for (const w of this.tables.persistent.get(path) ?? []) result.add(w);
    const recursive = this.tables.persistentRecursive;
    if (route.recursive && recursive.size > 0) {
      // Few recursive watches (the usual case): test each against the path instead of hashing
      // every ancestor of a possibly long path.
      if (recursive.size <= RECURSIVE_SCAN_LIMIT) {
        for (const [p, set] of recursive) if (isSelfOrAncestor(p, path)) for (const w of set) result.add(w);
      } else {
        for (const p of pathAndAncestors(path)) for (const w of recursive.get(p) ?? []) result.add(w);
      }
    }
    return result;
  }

  /** Every registered watcher, each once: the audience of a connection-state event. */
  all(): Set<Watcher> {
    const result = new Set<Watcher>();
    for (const kind of WATCH_KINDS) {
      for (const set of this.tables[kind].values()) for (const w of set) result.add(w);
    }
    return result;
  }

  paths(kind: WatchKind): string[] {
    return [...this.tables[kind].keys()];
  }

  get size(): number {
    return WATCH_KINDS.reduce((n, k) => n + this.tables[k].size, 0);
  }

  /**
   * Whether a removeWatches of this type finds something to ask the server about (all watchers
   * when none is named). As ZooKeeper 3.8's containsWatcher, persistent watches count for every
   * type, though only Any removes them: a Data or Children removal of a path with only a
   * persistent watch goes to the server and then fails with NoWatcher, as zkCli shows.
   */
  contains(path: string, watcherType: number, watcher?: Watcher): boolean {
    const persistent: WatchKind[] = ['persistent', 'persistentRecursive'];
    for (const kind of [...(REMOVAL_ROUTES.get(watcherType) ?? []).map(([k]) => k), ...persistent]) {
      const set = this.tables[kind].get(path);
      if (set && (watcher === undefined ? set.size > 0 : set.has(watcher))) return true;
    }
    return false;
  }

  /**
   * Removes the watcher (or all watchers) of a type on a path. Returns the removed watchers
   * grouped by the *WatchRemoved event each must be told, or null when nothing matched.
   */
  remove(path: string, watcherType: number, watcher?: Watcher): Map<EventTypeValue, Set<Watcher>> | null {
    const removed = new Map<EventTypeValue, Set<Watcher>>();
    let any = false;
    for (const [kind, eventType] of REMOVAL_ROUTES.get(watcherType) ?? []) {
      const table = this.tables[kind];
      const set = table.get(path);
      if (!set) continue;
      const into = removed.get(eventType) ?? new Set<Watcher>();
      if (watcher === undefined) {
        for (const w of set) into.add(w);
        table.delete(path);
      } else if (set.delete(watcher)) {
        into.add(watcher);
        if (set.size === 0) table.delete(path);
      } else {
        continue;
      }
      removed.set(eventType, into);
      any = true;
    }
    return any ? removed : null;
  }

  clear(): void {
    for (const kind of WATCH_KINDS) this.tables[kind].clear();
  }
}
