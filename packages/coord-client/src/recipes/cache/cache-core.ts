import { EventEmitter } from 'node:events';
import { AddWatchMode, Code, EventType, WatcherType, joinPath, type Stat } from '@paddock/coord-protocol';
import { checkOption } from '@paddock/edges';
import type { CoordClient } from '../../client.js';
import { badArguments } from '../../errors.js';
import type { Watcher, WatchedEvent } from '../../types.js';
import { CacheTree } from './cache-tree.js';
import type { CacheChange, CacheEvents, CacheOptions, CacheWatchMode } from './cache-types.js';
import { Coalescer } from '../common/coalescer.js';
import { Deadline } from '../common/deadline.js';
import { recipeEnv, type RecipeEnv } from '../common/env.js';
import { RecipeError } from '../common/errors.js';
import { recipePath } from '../common/paths.js';
import { asRecipeFailure, isKeeperCode, isRetryable, recover, unless, withRetry } from '../common/retry.js';
import { watchSession } from '../common/session.js';

/** What to re-read for a path: its data (and existence), its child list, or both. */
const DATA = 1;
const CHILDREN = 2;

/** What each node event makes us re-read; other events (watch removals) are ignored. */
const EVENT_READS: ReadonlyMap<number, { persistent: number; oneShot: number }> = new Map([
  [EventType.NodeCreated, { persistent: DATA, oneShot: DATA | CHILDREN }],
  [EventType.NodeDataChanged, { persistent: DATA, oneShot: DATA }],
  [EventType.NodeDeleted, { persistent: DATA, oneShot: DATA }],
  [EventType.NodeChildrenChanged, { persistent: 0, oneShot: CHILDREN }],
]);

/** Reads in flight at once during a full reload. */
const READ_BATCH = 1000;
const WATCH_MODES: readonly CacheWatchMode[] = ['auto', 'persistent', 'oneShot'];

interface NodeRead {
  readonly path: string;
  readonly flags: number;
  readonly node: { data: Buffer; stat: Stat } | null;
  readonly children: string[] | null;
}

/** Which depths below the root a cache holds (maxDepth) and reports (minDepth). */
export interface CacheShape {
  readonly minDepth: number;
  readonly maxDepth: number;
}

/**
 * The engine of NodeCache, ChildrenCache and TreeCache. Events only say which paths to read
 * again; reads are batched and applied in order, each batch issued after the previous one
 * was applied, so the cache never goes back to older data. After a reconnect everything is
 * re-read and diffed, because a persistent watch does not replay what was missed while
 * disconnected.
 */
export class CacheCore extends EventEmitter<CacheEvents> {
  readonly path: string;
  protected readonly tree: CacheTree;
  private readonly env: RecipeEnv;
  private readonly requested: CacheWatchMode;
  private mode: 'persistent' | 'oneShot' | null = null;
  private state: 'idle' | 'starting' | 'running' | 'closed' = 'idle';
  private dirty = new Map<string, number>();
  private full = false;
  private loaded = false;
  private lastError: unknown = null;
  private stopSession: (() => void) | null = null;
  private readonly worker = new Coalescer(() => this.work());
  private readonly maxNodes: number;
  private readonly watcher: Watcher = (e) => this.onEvent(e);

  protected constructor(client: CoordClient, path: string, private readonly shape: CacheShape, opts: CacheOptions) {
    super();
    this.env = recipeEnv(client, opts);
    this.path = recipePath(path);
    this.requested = checkOption.oneOf('watchMode', opts.watchMode ?? 'auto', WATCH_MODES);
    this.maxNodes = checkOption.intAtLeast('maxNodes', opts.maxNodes ?? 100_000, 1);
    this.tree = new CacheTree(this.path, this.maxNodes);
  }

  /** The watch kind in use once started. */
  get watchMode(): 'persistent' | 'oneShot' | null {
    return this.mode;
  }

  /** Sets the watch, loads the nodes (reporting them as added) and emits `initialized`. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw badArguments('start() may be called once', this.path);
    this.state = 'starting';
    try {
      this.mode = await this.pickMode();
    } catch (err) {
      await this.close(toRecipeError(asRecipeFailure(this.env, err, this.path), this.path));
      throw err;
    }
    this.stopSession = watchSession(this.env.client, {
      resumed: () => this.reloadSoon(),
      ended: (err) => void this.close(err),
    }, this.path);
    this.full = true;
    await this.worker.run();
    if (!this.loaded || (this.state as string) === 'closed') {
      const err = this.lastError ?? new RecipeError('Closed', this.path);
      await this.close(toRecipeError(err, this.path));
      throw err;
    }
    this.state = 'running';
    this.emit('initialized');
  }

  /** Stops following changes; the last content stays readable. */
  async close(reason: RecipeError | null = null): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stopSession?.();
    const watched = this.mode === 'oneShot' ? [...this.tree.paths(), this.path] : this.mode === 'persistent' ? [this.path] : [];
    this.emit('closed', reason);
    if (reason === null) {
      await Promise.allSettled(watched.map((p) => this.env.client.removeWatches(p, WatcherType.Any, this.watcher, true)));
    }
  }

  /** Tries a persistent watch once; a server without addWatch answers Unimplemented. */
  private async pickMode(): Promise<'persistent' | 'oneShot'> {
    if (this.requested === 'oneShot') return 'oneShot';
    const mode = this.shape.maxDepth === 0 ? AddWatchMode.PERSISTENT : AddWatchMode.PERSISTENT_RECURSIVE;
    try {
      await withRetry(this.env, `addWatch ${this.path}`, () => this.env.client.addWatch(this.path, mode, this.watcher), this.path);
      return 'persistent';
    } catch (err) {
      if (this.requested === 'auto' && isKeeperCode(err, Code.Unimplemented)) return 'oneShot';
      throw err;
    }
  }

  private onEvent(e: WatchedEvent): void {
    if (e.path === null || this.state === 'closed' || this.mode === null) return;
    const reads = EVENT_READS.get(e.type);
    if (reads === undefined) return;
    this.mark(e.path, reads[this.mode]);
    void this.worker.run();
  }

  private reloadSoon(): void {
    if (this.state === 'closed') return;
    this.full = true;
    void this.worker.run();
  }

  private mark(path: string, flags: number): void {
    const depth = this.tree.depthOf(path);
    if (depth < 0 || depth > this.shape.maxDepth) return;
    const wanted = depth < this.shape.maxDepth ? flags : flags & DATA;
    if (wanted === 0) return;
    this.dirty.set(path, (this.dirty.get(path) ?? 0) | wanted);
    // Bounded: past the node bound, one full reload is cheaper than a huge dirty set.
    if (this.dirty.size > this.maxNodes) {
      this.dirty.clear();
      this.full = true;
    }
  }

  /** The worker: full reloads and dirty batches until there is nothing left to read. */
  private async work(): Promise<void> {
    for (let attempt = 1; this.state !== 'closed' && (this.full || this.dirty.size > 0);) {
      try {
        if (this.full) {
          this.full = false;
          this.dirty.clear();
          await this.reload();
          this.loaded = true;
          if (this.state === 'running') this.emit('refreshed');
        } else {
          const batch = this.dirty;
          this.dirty = new Map();
          await this.refresh(batch);
        }
        attempt = 1;
      } catch (err) {
        // Whatever was in flight is covered by re-reading everything.
        this.full = true;
        this.lastError = err;
        if (!isRetryable(err)) {
          await this.close(toRecipeError(asRecipeFailure(this.env, err, this.path), this.path));
          return;
        }
        try {
          await recover(this.env, err, attempt++, `cache of ${this.path}`, Deadline.none(), this.path);
        } catch (gaveUp) {
          this.lastError = gaveUp;
          // Out of retries while disconnected: the next reconnect starts another reload.
          if (gaveUp instanceof RecipeError && gaveUp.code === 'SessionLost') await this.close(gaveUp);
          return;
        }
      }
    }
  }

  /** Reads the whole shape level by level and replaces the content with it. */
  private async reload(): Promise<void> {
    const fresh = new Map<string, { data: Buffer; stat: Stat }>();
    let level = [this.path];
    while (level.length > 0) {
      const next: string[] = [];
      for (let i = 0; i < level.length; i += READ_BATCH) {
        const reads = await Promise.all(level.slice(i, i + READ_BATCH).map((p) => this.read(p, DATA | CHILDREN)));
        for (const r of reads) {
          if (r.node === null) continue;
          fresh.set(r.path, r.node);
          if (fresh.size > this.maxNodes) throw new RecipeError('TooManyNodes', this.path, `more than ${this.maxNodes} nodes under ${this.path}`);
          for (const name of r.children ?? []) next.push(joinPath(r.path, name));
        }
      }
      level = next;
    }
    if (!fresh.has(this.path)) await this.watchRootCreation();
    this.publish(this.tree.replace(fresh));
  }

  /** Re-reads the marked paths (all issued together) and applies the answers in order. */
  private async refresh(batch: ReadonlyMap<string, number>): Promise<void> {
    const reads = await Promise.all([...batch].map(([p, flags]) => this.read(p, flags)));
    for (const r of reads) {
      const changes: CacheChange[] = [];
      if (r.flags & DATA) {
        if (r.node === null) changes.push(...this.tree.remove(r.path));
        else {
          const isNew = this.tree.get(r.path) === undefined;
          changes.push(...this.tree.upsert(r.path, r.node.data, r.node.stat));
          // One-shot mode learns of grandchildren only through the new node's own child watch.
          if (isNew && this.mode === 'oneShot') this.mark(r.path, CHILDREN);
        }
      }
      if (r.children !== null) changes.push(...this.syncChildren(r.path, r.children));
      this.publish(changes);
    }
    if (this.tree.get(this.path) === undefined) await this.watchRootCreation();
  }

  /** New children are marked for reading; vanished ones go with their subtrees. */
  private syncChildren(path: string, children: readonly string[]): CacheChange[] {
    const now = new Set(children);
    const changes: CacheChange[] = [];
    for (const name of this.tree.childrenOf(path)) if (!now.has(name)) changes.push(...this.tree.remove(joinPath(path, name)));
    for (const name of children) {
      const child = joinPath(path, name);
      if (this.tree.get(child) === undefined) this.mark(child, DATA | CHILDREN);
    }
    return changes;
  }

  /** One node's data and/or children; with one-shot watches, the reads re-arm them. */
  private async read(path: string, flags: number): Promise<NodeRead> {
    const { client } = this.env;
    const w = this.mode === 'oneShot' ? this.watcher : undefined;
    const withChildren = (flags & CHILDREN) !== 0 && this.tree.depthOf(path) < this.shape.maxDepth;
    const [node, children] = await Promise.all([
      flags & DATA ? unless(Code.NoNode, client.getData(path, w)) : Promise.resolve(undefined),
      withChildren ? unless(Code.NoNode, client.getChildren(path, w)) : Promise.resolve(null),
    ]);
    // Created or deleted between the two reads: read it again next round.
    if (node === null && children !== null) this.mark(path, DATA | CHILDREN);
    if (node === undefined) return { path, flags, node: null, children };
    return { path, flags, node: node === null ? null : { data: node.data, stat: node.stat }, children: node === null ? null : children };
  }

  /** With one-shot watches a missing root needs an exists watch to learn of its creation. */
  private async watchRootCreation(): Promise<void> {
    if (this.mode !== 'oneShot') return;
    if ((await this.env.client.exists(this.path, this.watcher)) !== null) this.mark(this.path, DATA | CHILDREN);
  }

  private publish(changes: readonly CacheChange[]): void {
    if (this.state === 'closed') return;
    for (const c of changes) {
      if (this.tree.depthOf(c.node.path) >= this.shape.minDepth) this.emit('change', c);
    }
  }
}

function toRecipeError(err: unknown, path: string): RecipeError {
  return err instanceof RecipeError ? err : new RecipeError('Closed', path, `stopped by ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
