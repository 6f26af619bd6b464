import { type ACL, type Id, EventType, Perms, parentPath } from '@paddock/coord-protocol';
import { aclAllows } from '../acl/check-acl.js';
import { present } from '../base/wire-null.js';

/** Who is told about an event: in ZooKeeper, the client connection itself. */
export interface Watcher {
  /** The connection's identities, when it has any: they decide which events it may see. */
  readonly authInfo?: readonly Id[];
}

/**
 * Where fired watches go. The tables only decide who is told; the pipeline that owns them
 * sends the event (through the same durability gate as replies), so a trigger in the tree
 * never calls out to the socket layer.
 */
export interface WatchSink<W extends Watcher> {
  /** One event (always in state SyncConnected) for one watcher; must not throw. */
  watchEvent(watcher: W, type: number, path: string): void;
}

/** For tables whose events nobody hears (log replay at recovery has no watchers). */
export const NO_WATCH_SINK: WatchSink<Watcher> = { watchEvent: () => {} };

export const enum WatcherMode {
  Standard = 0,
  Persistent = 1,
  PersistentRecursive = 2,
}

const NONE_MATCHED: ReadonlySet<never> = new Set();

/**
 * One of the two watch tables of a DataTree (data or child watches), as ZooKeeper 3.8's
 * WatchManager: one mode per (watcher, path) — a later registration replaces an earlier one —
 * standard watches fire once, persistent ones on every event at their path, recursive ones on
 * every event at or below their path except NodeChildrenChanged.
 */
export class WatchManager<W extends Watcher = Watcher> {
  private readonly byPath = new Map<string, Map<W, WatcherMode>>();
  private readonly byWatcher = new Map<W, Set<string>>();
  private recursiveCount = 0;
  /**
   * Watches on jute's null path, which ZooKeeper 3.8 takes from addWatch and setWatches2. They
   * never fire. ZooKeeper keeps them in its table (`nullListed`) and, for a persistent mode, a
   * (watcher, null) entry in its mode map (`nullModed`) that no later call can look up without
   * a NullPointerException: adding or removing the null path again then fails with
   * MarshallingError, after the table itself was updated, and the mode entry stays for good.
   */
  private readonly nullListed = new Set<W>();
  private readonly nullModed = new Set<W>();

  constructor(private readonly sink: WatchSink<W>) {}

  add(path: string | null, watcher: W, mode: WatcherMode): void {
    if (path === null) return this.addNull(watcher, mode);
    let table = this.byPath.get(path);
    if (!table) this.byPath.set(path, (table = new Map()));
    const prev = table.get(watcher);
    if (prev === WatcherMode.PersistentRecursive) this.recursiveCount--;
    if (mode === WatcherMode.PersistentRecursive) this.recursiveCount++;
    table.set(watcher, mode);
    let paths = this.byWatcher.get(watcher);
    if (!paths) this.byWatcher.set(watcher, (paths = new Set()));
    paths.add(path);
  }

  contains(path: string, watcher: W): boolean {
    return this.byPath.get(path)?.has(watcher) ?? false;
  }

  /** Whether an event at `path` could reach anyone: a watch on it, or a recursive one anywhere. */
  mayFire(path: string): boolean {
    return this.recursiveCount > 0 || this.byPath.has(path);
  }

  /** Whether anyone watches exactly this path. */
  hasWatchers(path: string): boolean {
    return this.byPath.has(path);
  }

  private addNull(watcher: W, mode: WatcherMode): void {
    this.nullListed.add(watcher);
    if (this.nullModed.has(watcher)) present(null, 'watch path met in the watch mode map');
    if (mode !== WatcherMode.Standard) this.nullModed.add(watcher);
  }

  /** Removes one watcher from one path, whatever its mode; false when it was not there. */
  remove(path: string | null, watcher: W): boolean {
    if (path === null) return this.removeNull(watcher);
    const table = this.byPath.get(path);
    const mode = table?.get(watcher);
    if (!table || mode === undefined) return false;
    this.drop(table, path, watcher, mode);
    return true;
  }

  private removeNull(watcher: W): boolean {
    if (!this.nullListed.delete(watcher)) return false;
    if (this.nullModed.has(watcher)) present(null, 'watch path met in the watch mode map');
    return true;
  }

  private drop(table: Map<W, WatcherMode>, path: string, watcher: W, mode: WatcherMode): void {
    table.delete(watcher);
    if (mode === WatcherMode.PersistentRecursive) this.recursiveCount--;
    if (table.size === 0) this.byPath.delete(path);
    const paths = this.byWatcher.get(watcher);
    paths?.delete(path);
    if (paths?.size === 0) this.byWatcher.delete(watcher);
  }

  /** Forgets every watch of a watcher (its connection closed). */
  removeWatcher(watcher: W): void {
    this.nullListed.delete(watcher);
    this.nullModed.delete(watcher);
    const paths = this.byWatcher.get(watcher);
    if (!paths) return;
    for (const path of paths) {
      const table = this.byPath.get(path)!;
      if (table.get(watcher) === WatcherMode.PersistentRecursive) this.recursiveCount--;
      table.delete(watcher);
      if (table.size === 0) this.byPath.delete(path);
    }
    this.byWatcher.delete(watcher);
  }

  /**
   * Fires `type` at `path`, skipping watchers in `suppress` (already told by the other table)
   * and, given `acl` (that of the node the event is about), watchers without READ on it: as
   * ZooKeeper 3.8.4 (CVE-2024-23944), a one-shot watch is used up all the same. Returns the
   * watchers that matched, so the caller can suppress duplicates.
   */
  trigger(path: string, type: number, suppress?: ReadonlySet<W>, acl?: readonly ACL[]): ReadonlySet<W> {
    // Most writes touch unwatched paths: no set for them.
    if (!this.mayFire(path)) return NONE_MATCHED;
    const matched = new Set<W>();
    let p = path;
    for (;;) {
      const table = this.byPath.get(p);
      if (table) this.collect(table, p, p === path, type, matched);
      if (this.recursiveCount === 0 || p === '/') break;
      p = parentPath(p);
    }
    for (const w of matched) {
      if (suppress?.has(w) || (acl && !aclAllows(acl, Perms.READ, w.authInfo ?? []))) continue;
      this.sink.watchEvent(w, type, path);
    }
    return matched;
  }

  private collect(table: Map<W, WatcherMode>, p: string, exact: boolean, type: number, out: Set<W>): void {
    for (const [watcher, mode] of table) {
      if (mode === WatcherMode.PersistentRecursive) {
        if (type !== EventType.NodeChildrenChanged) out.add(watcher);
      } else if (exact) {
        out.add(watcher);
        if (mode === WatcherMode.Standard) this.drop(table, p, watcher, mode);
      }
    }
  }

  /**
   * Tells a watcher at once instead of arming a watch: setWatches uses it for a change the
   * client missed while it was away.
   */
  fire(watcher: W, type: number, path: string): void {
    this.sink.watchEvent(watcher, type, path);
  }

  /** Watch counts for wchs / mntr. */
  get watchCount(): number {
    let n = 0;
    for (const table of this.byPath.values()) n += table.size;
    return n;
  }

  get pathCount(): number {
    return this.byPath.size;
  }

  pathsOf(watcher: W): ReadonlySet<string> {
    return this.byWatcher.get(watcher) ?? new Set();
  }

  watchersOf(path: string): Iterable<W> {
    return this.byPath.get(path)?.keys() ?? [];
  }

  allPaths(): Iterable<string> {
    return this.byPath.keys();
  }
}
