import { Code } from '@paddock/coord-client';
import { RegistryError } from './errors.js';
import { createEphemeral } from './ephemeral-node.js';
import { hasCode, isOutage } from './outage.js';
import type { ResolvedOptions } from './options.js';
import type { SessionKeeper } from './session-keeper.js';

interface Entry {
  refs: number;
  /** The session generation the node was last confirmed in; 0: never. */
  confirmedIn: number;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/** Paths synced at once after a new session; bounds requests in flight for a big process. */
const SYNC_BATCH = 256;

/**
 * The ephemeral nodes this process wants (providers and consumers), kept true across sessions:
 * each wanted path is created in every new session, and a path no longer wanted is deleted
 * (or, when the session has ended meanwhile, simply not created again). Paths are reference
 * counted; work on one path is serialized, later requests coalesced.
 */
export class EphemeralSet {
  private readonly wanted = new Map<string, Entry>();
  /** Paths to delete, with the generation of the session whose node it is. */
  private readonly unwanted = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly keeper: SessionKeeper, private readonly opts: ResolvedOptions) {
    keeper.on('session', () => this.syncAll());
    keeper.on('state', (s) => {
      if (s === 'connected') this.syncAll();
    });
  }

  /** Adds a reference; resolves once the node exists in the current session, bounded by operationTimeoutMs. */
  add(path: string): Promise<void> {
    let entry = this.wanted.get(path);
    if (!entry) {
      entry = { refs: 0, confirmedIn: 0, waiters: [] };
      this.wanted.set(path, entry);
    }
    entry.refs++;
    this.unwanted.delete(path);
    if (entry.confirmedIn !== 0 && entry.confirmedIn === this.keeper.generation) return Promise.resolve();
    const e = entry;
    const done = new Promise<void>((resolve, reject) => {
      const { clock, operationTimeoutMs } = this.opts;
      const timer = clock.setTimeout(() => {
        e.waiters = e.waiters.filter((w) => w !== waiter);
        reject(new RegistryError('TIMEOUT', `${path} was not created within ${operationTimeoutMs} ms (registry ${this.keeper.state})`, path));
      }, operationTimeoutMs);
      const waiter = {
        resolve: () => { clock.clearTimeout(timer); resolve(); },
        reject: (err: unknown) => { clock.clearTimeout(timer); reject(err); },
      };
      e.waiters.push(waiter);
    });
    this.sync(path);
    return done;
  }

  /** Drops a reference; the last one deletes the node (now, or once connected again). */
  remove(path: string): Promise<void> {
    const entry = this.wanted.get(path);
    if (!entry) return Promise.resolve();
    if (--entry.refs > 0) return Promise.resolve();
    this.wanted.delete(path);
    for (const w of entry.waiters.splice(0)) w.reject(new RegistryError('CLOSED', `${path} was removed before it was created`, path));
    // Without a session there is nothing to delete now; the next session will not create it. With
    // one, delete even a node never confirmed: a create whose reply was lost may have made it.
    if (!this.keeper.client) return Promise.resolve();
    this.unwanted.set(path, this.keeper.generation);
    return this.syncNow(path);
  }

  /** Fails every registration still waiting (the registry is closing); the session's end removes the nodes. */
  close(): void {
    for (const [path, entry] of this.wanted) {
      for (const w of entry.waiters.splice(0)) w.reject(new RegistryError('CLOSED', `the registry closed before ${path} was created`, path));
    }
  }

  /** Paths wanted right now (for tests and diagnostics). */
  get paths(): string[] {
    return [...this.wanted.keys()];
  }

  private syncAll(): void {
    const paths = [...this.wanted.keys(), ...this.unwanted.keys()];
    let i = 0;
    const next = async (): Promise<void> => {
      while (i < paths.length) {
        const path = paths[i++] as string;
        await this.syncNow(path);
      }
    };
    for (let k = 0; k < Math.min(SYNC_BATCH, paths.length); k++) void next();
  }

  private sync(path: string): void {
    void this.syncNow(path);
  }

  /** Brings one path in line with what is wanted; resolves when this and any coalesced rounds are done. */
  private syncNow(path: string): Promise<void> {
    const running = this.running.get(path);
    if (running) {
      this.again.add(path);
      return running;
    }
    const run = (async () => {
      try {
        do {
          this.again.delete(path);
          await this.syncOnce(path);
        } while (this.again.has(path));
      } finally {
        this.running.delete(path);
      }
    })();
    this.running.set(path, run);
    return run;
  }

  private async syncOnce(path: string): Promise<void> {
    const client = this.keeper.client;
    const generation = this.keeper.generation;
    if (!client || this.keeper.state !== 'connected') return;
    const entry = this.wanted.get(path);
    if (entry) {
      if (entry.confirmedIn === generation) return;
      try {
        await createEphemeral(client, path, {
          clock: this.opts.clock, logger: this.opts.logger,
          staleWaitMs: this.opts.staleEphemeralWaitMs ?? Math.max(this.opts.sessionTimeout, this.keeper.lastSessionTimeout),
        });
      } catch (err) {
        this.failed(path, entry, err);
        return;
      }
      if (this.wanted.get(path) !== entry || generation !== this.keeper.generation) {
        // Removed, or the session changed, while the create was in flight: go round again.
        this.again.add(path);
        if (!this.wanted.has(path)) this.unwanted.set(path, generation);
        return;
      }
      entry.confirmedIn = generation;
      this.opts.logger.debug({ path }, 'registry: ephemeral node created');
      for (const w of entry.waiters.splice(0)) w.resolve();
      return;
    }
    const bornIn = this.unwanted.get(path);
    if (bornIn === undefined) return;
    if (bornIn !== generation) {
      this.unwanted.delete(path); // Its session has ended; the node went with it.
      return;
    }
    try {
      await client.delete(path);
    } catch (err) {
      if (isOutage(err)) return; // Retried on the next connect, or moot after a new session.
      if (!hasCode(err, Code.NoNode)) this.opts.logger.error({ path, err: String(err) }, 'registry: cannot delete ephemeral node');
    }
    if (this.unwanted.get(path) === bornIn) this.unwanted.delete(path);
  }

  private failed(path: string, entry: Entry, err: unknown): void {
    if (isOutage(err)) {
      this.opts.logger.debug({ path, err: String(err) }, 'registry: ephemeral node not created yet; retrying when connected');
      return;
    }
    // Not going to get better by retrying (NoAuth, a bad parent...): tell the callers, forget the path.
    this.opts.logger.error({ path, err: String(err) }, 'registry: cannot create ephemeral node');
    this.wanted.delete(path);
    for (const w of entry.waiters.splice(0)) w.reject(err);
  }
}
