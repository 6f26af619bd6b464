import { Code, EventType, type CoordClient, type Watcher } from '@paddock/coord-client';
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
 * Keeps one node's children list current with watches only, never polling: a getChildren with
 * a child watch gives the whole list; each watch event triggers the next getChildren, which
 * re-arms the watch. When the node is missing, an exists watch waits for it.
 *
 * After a read fails for lack of a connection, the list is read again on the next connect
 * (`onConnected`); within one session the client re-sends the watches it holds, so nothing else
 * is needed. A new session (`attach`) starts over, since its watches are new.
 */
export class ChildrenWatch {
  private client: CoordClient | null = null;
  private watcher: Watcher | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** The last read failed; read again on the next connect. */
  private owed = false;
  /** A read has succeeded in this session. */
  private readInSession = false;
  private stopped = false;

  constructor(readonly path: string, private readonly sink: ChildrenSink) {}

  /** Starts over on a (new) session's client. */
  attach(client: CoordClient): void {
    if (this.stopped) return;
    this.client = client;
    this.readInSession = false;
    this.owed = false;
    // One watcher per session: events of an older session's watches are told apart and ignored.
    const watcher: Watcher = (e) => {
      if (e.type === EventType.None || this.watcher !== watcher) return;
      void this.read();
    };
    this.watcher = watcher;
    void this.read();
  }

  /** The list reflects this session's latest read and no read is owed. */
  get current(): boolean {
    return this.readInSession && !this.owed;
  }

  /** The connection is back (same session): read again if a read was lost to the outage. */
  onConnected(): void {
    if (this.owed) void this.read();
  }

  stop(): void {
    this.stopped = true;
    this.client = null;
    this.watcher = null;
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

  private fail(err: unknown, watcher: Watcher): void {
    if (this.watcher !== watcher || this.stopped) return;
    this.owed = true;
    if (isOutage(err)) this.sink.outage(err);
    else this.sink.failed(err);
  }
}
