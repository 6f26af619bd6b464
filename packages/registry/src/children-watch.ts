import { AddWatchMode, Code, EventType, WatcherType, type CoordClient, type WatchedEvent, type Watcher } from '@paddock/coord-client';
import { parentOf } from './layout.js';
import { hasCode, isOutage } from './outage.js';

export interface ChildrenSink {
  /** A fresh, complete list of the node's children (empty when the node does not exist). */
  children(names: readonly string[]): void;
  /** A read failed for lack of a connection or session; the last list still stands. */
  outage(err: unknown): void;
  /** A read failed for another reason (NoAuth...); the last list still stands. */
  failed(err: unknown): void;
}

/**
 * How the list is kept current: `persistent` sets one persistent recursive watch (ZooKeeper 3.6+)
 * and applies each child's NodeCreated/NodeDeleted to the list, so a change costs the server one
 * event per watcher and no read; `oneShot` re-reads the list (re-arming a child watch) after every
 * event; `auto` tries `persistent` in each session and falls back when the server answers
 * Unimplemented.
 */
export type ChildrenWatchMode = 'auto' | 'persistent' | 'oneShot';

/**
 * Events kept while a persistent read is out. Past it they are dropped and the list is read
 * again once this read is done, since the result cannot be brought up to date.
 */
export const EVENT_LOG_LIMIT = 10_000;

/** The child of `parent` an event is about, or null for the node itself, deeper nodes and other kinds. */
function childOf(parent: string, e: WatchedEvent): string | null {
  if ((e.type !== EventType.NodeCreated && e.type !== EventType.NodeDeleted) || e.path === null || e.path === parent) return null;
  return parentOf(e.path) === parent ? e.path.slice(e.path.lastIndexOf('/') + 1) : null;
}

/**
 * Keeps one node's children list current with watches only, never polling.
 *
 * Persistent mode: after `addWatch(path, PERSISTENT_RECURSIVE)`, one getChildren gives the list
 * and events edit it. Events that arrive while that read is out are kept and replayed on its
 * result: the server sends an event before any reply that reflects its change, so a replayed
 * event either was already reflected (adding or removing a name again changes nothing, since
 * each name's events alternate) or is newer than the read. A persistent watch does not replay
 * what changed while the connection was down, so the list is read again after each reconnect.
 *
 * One-shot mode: a getChildren with a child watch gives the whole list; each watch event
 * triggers the next getChildren, which re-arms the watch. When the node is missing, an exists
 * watch waits for it. Within one session the client re-sends these watches on reconnect and the
 * server fires those whose node changed meanwhile.
 *
 * In both modes a read lost to an outage is redone on the next connect (`onConnected`), and a
 * new session (`attach`) starts over, since its watches are new.
 */
export class ChildrenWatch {
  private client: CoordClient | null = null;
  private watcher: Watcher | null = null;
  /** This session's mode; null until addWatch has been tried. */
  private mode: 'persistent' | 'oneShot' | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** The last read failed, or (persistent) events may have been missed; read again on the next connect. */
  private owed = false;
  /** Persistent: the connection dropped since the current read was issued. */
  private missed = false;
  /** A read has succeeded in this session. */
  private readInSession = false;
  private stopped = false;
  /** Persistent: the list as the events leave it. */
  private names = new Set<string>();
  /** Persistent: events that arrived while a read was out, to replay on its result. */
  private log: WatchedEvent[] | null = null;
  private publishQueued = false;

  constructor(readonly path: string, private readonly sink: ChildrenSink, private readonly requested: ChildrenWatchMode = 'auto') {}

  /** Starts over on a (new) session's client. */
  attach(client: CoordClient): void {
    if (this.stopped) return;
    this.client = client;
    this.readInSession = false;
    this.owed = false;
    this.mode = this.requested === 'oneShot' ? 'oneShot' : null;
    this.log = null;
    // One watcher per session: events of an older session's watches are told apart and ignored.
    const watcher: Watcher = (e) => {
      if (e.type === EventType.None || this.watcher !== watcher) return;
      if (this.mode === 'persistent') this.onPersistentEvent(e);
      else void this.read();
    };
    this.watcher = watcher;
    void this.read();
  }

  /** The list reflects this session's latest read and no read is owed. */
  get current(): boolean {
    return this.readInSession && !this.owed;
  }

  /** The watch kind this session uses; null until known. */
  get watchMode(): 'persistent' | 'oneShot' | null {
    return this.mode;
  }

  /** The connection dropped (same session): a persistent watch will not tell what changes meanwhile. */
  onDisconnected(): void {
    if (this.mode !== 'persistent') return;
    this.missed = true;
    this.owed = true;
  }

  /** The connection is back (same session): read again if a read was lost or events were missed. */
  onConnected(): void {
    if (this.owed) void this.read();
  }

  stop(): void {
    const { client, watcher, mode } = this;
    this.stopped = true;
    this.client = null;
    this.watcher = null;
    // A persistent watch outlives its events; a one-shot one is gone after firing anyway.
    if (client && watcher && mode === 'persistent') {
      client.removeWatches(this.path, WatcherType.Any, watcher).catch(() => {});
    }
  }

  /** Resolves when the read in progress (and any queued behind it) is done. */
  read(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.readOnce();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async readOnce(): Promise<void> {
    const client = this.client;
    const watcher = this.watcher;
    if (!client || !watcher || this.stopped) return;
    if (this.mode === null) {
      try {
        await client.addWatch(this.path, AddWatchMode.PERSISTENT_RECURSIVE, watcher);
      } catch (err) {
        if (this.requested === 'auto' && hasCode(err, Code.Unimplemented)) {
          if (this.watcher === watcher) this.mode = 'oneShot';
          return this.readOnce();
        }
        return this.fail(err, watcher);
      }
      if (this.watcher !== watcher || this.stopped) return;
      this.mode = 'persistent';
    }
    return this.mode === 'persistent' ? this.readPersistent(client, watcher) : this.readOneShot(client, watcher);
  }

  private async readPersistent(client: CoordClient, watcher: Watcher): Promise<void> {
    this.missed = false;
    const log: WatchedEvent[] = [];
    this.log = log;
    let names: string[];
    try {
      names = await client.getChildren(this.path);
    } catch (err) {
      if (!hasCode(err, Code.NoNode)) {
        if (this.log === log) this.log = null;
        return this.fail(err, watcher);
      }
      names = [];
    }
    if (this.watcher !== watcher || this.stopped || this.log !== log) return;
    this.log = null;
    this.names = new Set(names);
    // An overflowed log: publish the result as read (a true past state) and read again.
    if (log.length > EVENT_LOG_LIMIT) this.again = true;
    else for (const e of log) this.apply(e);
    this.owed = this.missed;
    this.readInSession = true;
    this.publishQueued = false;
    this.sink.children([...this.names]);
  }

  private async readOneShot(client: CoordClient, watcher: Watcher): Promise<void> {
    let names: string[] | null = null;
    try {
      names = await client.getChildren(this.path, watcher);
    } catch (err) {
      if (!hasCode(err, Code.NoNode)) return this.fail(err, watcher);
    }
    try {
      if (names === null && (await client.exists(this.path, watcher)) !== null) {
        this.again = true; // Created between the two reads: list it.
        return;
      }
    } catch (err) {
      return this.fail(err, watcher);
    }
    if (this.watcher !== watcher || this.stopped) return;
    this.owed = false;
    this.readInSession = true;
    this.sink.children(names ?? []);
  }

  private onPersistentEvent(e: WatchedEvent): void {
    if (this.log !== null) {
      if (this.log.length <= EVENT_LOG_LIMIT) this.log.push(e);
      return;
    }
    if (!this.readInSession || !this.apply(e) || this.publishQueued) return;
    // Events of one batch from the socket are applied together and published once.
    this.publishQueued = true;
    queueMicrotask(() => {
      if (!this.publishQueued || this.stopped) return;
      this.publishQueued = false;
      this.sink.children([...this.names]);
    });
  }

  /** Applies a child's creation or deletion to the list; true when the list changed. */
  private apply(e: WatchedEvent): boolean {
    const name = childOf(this.path, e);
    if (name === null) return false;
    if (e.type === EventType.NodeCreated) {
      if (this.names.has(name)) return false;
      this.names.add(name);
      return true;
    }
    return this.names.delete(name);
  }

  private fail(err: unknown, watcher: Watcher): void {
    if (this.watcher !== watcher || this.stopped) return;
    this.owed = true;
    if (isOutage(err)) this.sink.outage(err);
    else this.sink.failed(err);
  }
}
