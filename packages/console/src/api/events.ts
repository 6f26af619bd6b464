import type { ServerResponse } from 'node:http';
import { AddWatchMode, EventType, WatcherType, type CoordClient, type WatchedEvent } from '@paddock/coord-client';
import type { FastifyInstance } from 'fastify';
import type { Coordination, LazyCoordination } from '../coordination.js';
import type { ServerView } from '../options.js';
import { overviewSample } from './server.js';

/** Pages listening at once; more get a 503 rather than an unbounded fan-out. */
const MAX_STREAMS = 32;
/** Changes queued per page between flushes; past it the page is told to reload everything. */
const MAX_PENDING = 256;
/** Changes are sent in batches this often, so a burst of writes is one message, not thousands. */
const FLUSH_MS = 100;
/** Server numbers are pushed this often while someone is listening (read in-process, not from the tree). */
const STATS_MS = 1000;
/** A comment line now and then keeps idle connections open through proxies. */
const KEEPALIVE_MS = 15_000;

const EVENT_NAMES = new Map<number, string>([
  [EventType.NodeCreated, 'created'],
  [EventType.NodeDeleted, 'deleted'],
  [EventType.NodeDataChanged, 'changed'],
  [EventType.NodeChildrenChanged, 'children'],
]);

interface Stream {
  readonly res: ServerResponse;
  pending: { type: string; path: string }[];
  overflow: boolean;
}

/**
 * Tree changes pushed to open pages as server-sent events. One persistent recursive watch on
 * "/" (addWatch, ZooKeeper 3.6+) on the console's session feeds every page: nothing polls the
 * tree. The watch is set again on each new session; its events are batched per page.
 */
export class EventHub {
  private readonly streams = new Set<Stream>();
  private watched: CoordClient | null = null;
  private following = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly onEvent = (e: WatchedEvent): void => this.push(e);

  constructor(private readonly shared: LazyCoordination, private readonly server: ServerView | null) {}

  get size(): number {
    return this.streams.size;
  }

  add(res: ServerResponse): boolean {
    if (this.streams.size >= MAX_STREAMS) return false;
    const stream: Stream = { res, pending: [], overflow: false };
    this.streams.add(stream);
    res.on('close', () => {
      this.streams.delete(stream);
      if (this.streams.size > 0) return;
      // Nobody is looking: stop the timers and the watch, so an idle console costs the server nothing.
      this.stopTimers();
      this.unwatch();
    });
    if (this.timers.length === 0) this.startTimers();
    // Each page learns whether the watch is on, also when it joins after it was set.
    void this.shared.get().then((c) => this.watch(c)).then(
      () => this.send(stream, 'status', { connected: this.watched !== null }),
      () => this.send(stream, 'status', { connected: false }),
    );
    return true;
  }

  private async watch(c: Coordination): Promise<void> {
    if (!this.following) {
      this.following = true;
      c.registry.on('session', () => void this.watch(c));
    }
    const client = c.registry.client;
    if (client === null || client === this.watched) return;
    this.watched = client;
    try {
      await client.addWatch('/', AddWatchMode.PERSISTENT_RECURSIVE, this.onEvent);
      for (const s of this.streams) this.send(s, 'status', { connected: true });
    } catch {
      this.watched = null;
      for (const s of this.streams) this.send(s, 'status', { connected: false });
    }
  }

  private push(e: WatchedEvent): void {
    const type = EVENT_NAMES.get(e.type);
    if (type === undefined || e.path === null) return;
    for (const s of this.streams) {
      if (s.pending.length >= MAX_PENDING) s.overflow = true;
      else s.pending.push({ type, path: e.path });
    }
  }

  private flush(): void {
    for (const s of this.streams) {
      if (s.overflow) this.send(s, 'reload', {});
      else if (s.pending.length > 0) this.send(s, 'changes', s.pending);
      s.pending = [];
      s.overflow = false;
    }
  }

  private send(s: Stream, event: string, data: unknown): void {
    if (!s.res.writableEnded) s.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private startTimers(): void {
    this.timers.push(setInterval(() => this.flush(), FLUSH_MS));
    this.timers.push(setInterval(() => {
      for (const s of this.streams) if (!s.res.writableEnded) s.res.write(': keepalive\n\n');
    }, KEEPALIVE_MS));
    const server = this.server;
    if (server) {
      this.timers.push(setInterval(() => {
        void overviewSample(server).then((sample) => {
          for (const s of this.streams) this.send(s, 'stats', sample);
        }, () => undefined);
      }, STATS_MS));
    }
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Removes the watch on the server too (without a listener: the console's session holds no other watch on "/"). */
  private unwatch(): void {
    const w = this.watched;
    this.watched = null;
    void w?.removeWatches('/', WatcherType.Any, undefined, true).catch(() => undefined);
  }

  close(): void {
    this.stopTimers();
    for (const s of this.streams) s.res.end();
    this.streams.clear();
    this.unwatch();
  }
}

export function eventRoutes(app: FastifyInstance, hub: EventHub): void {
  app.get('/api/events', (req, reply) => {
    const res = reply.raw;
    if (hub.size >= MAX_STREAMS) {
      return reply.code(503).send({ error: `too many open console pages (${MAX_STREAMS})`, code: 'TOO_MANY_STREAMS' });
    }
    reply.hijack();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': paddock console events\n\n');
    hub.add(res);
    req.raw.on('close', () => res.end());
  });
}
