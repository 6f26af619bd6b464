import { EventEmitter } from 'node:events';
import type { CoordClient } from '@paddock/coord-client';
import type { Logger } from '@paddock/edges';
import type { CacheFile } from './cache-file.js';
import { ChildrenWatch, type ChildrenSink, type ChildrenWatchMode } from './children-watch.js';
import { RegistryError } from './errors.js';
import { parseProviderUrl, toNodeName, type Provider } from './instance-url.js';
import { NodeNames } from './node-names.js';
import type { Layout } from './layout.js';
import { compareOverrides, parseOverrideUrl, type ParsedOverride } from './override.js';

/**
 * Where a list stands:
 * - `pending`: nothing known yet (no session, no cache entry);
 * - `live`: read in this session, connected, watches armed;
 * - `stale`: the last good list, kept while the coordination service is unreachable or a read fails;
 * - `cached`: loaded from the cache file; nothing read live yet.
 */
export type ListStatus = 'pending' | 'live' | 'stale' | 'cached';

export interface DirectoryEvents {
  change: [];
  status: [];
}

function byUrl(a: { url: string }, b: { url: string }): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

/**
 * One service's providers and configurator overrides, kept live by two children watches and
 * shared by every subscription to the service in this process. Only lists read successfully
 * replace the current ones: an outage leaves the last good lists in place (empty protection).
 */
export class ServiceDirectory extends EventEmitter<DirectoryEvents> {
  /** Valid providers, sorted by URL, before overrides. */
  providers: readonly Provider[] = [];
  /** Valid overrides in the order they apply. */
  overrides: readonly ParsedOverride[] = [];
  refs = 0;
  /** The session generation the watches were last attached in; 0: never. */
  generation = 0;
  private source: 'none' | 'cache' | 'live' = 'none';
  private connected = false;
  private readonly providerWatch: ChildrenWatch;
  private readonly overrideWatch: ChildrenWatch;
  private readonly providerNames: NodeNames<Provider>;
  private readonly overrideNames: NodeNames<ParsedOverride>;
  private firstReads = 0;
  private readonly first: Promise<void>;
  private firstDone: () => void = () => {};

  constructor(
    readonly service: string,
    layout: Layout,
    private readonly logger: Logger,
    private readonly cache: CacheFile | undefined,
    private readonly now: () => number,
    watchMode: ChildrenWatchMode = 'auto',
  ) {
    super();
    this.setMaxListeners(0);
    this.first = new Promise((resolve) => { this.firstDone = resolve; });
    const bad = (category: string) => (name: string, err: unknown): void => {
      const reason = err instanceof Error ? err.message : String(err);
      logger.warn({ service, category, node: name, reason }, 'registry: skipping malformed node');
    };
    this.providerNames = new NodeNames((url) => this.parseProvider(url), bad('providers'), byUrl);
    this.overrideNames = new NodeNames((url) => this.parseOverride(url), bad('configurators'), compareOverrides);
    this.providerWatch = new ChildrenWatch(layout.category(service, 'providers'), this.sink((names) => {
      this.providers = this.providerNames.update(names);
    }), watchMode);
    this.overrideWatch = new ChildrenWatch(layout.category(service, 'configurators'), this.sink((names) => {
      this.overrides = this.overrideNames.update(names);
    }), watchMode);
  }

  get status(): ListStatus {
    if (this.source === 'none') return 'pending';
    if (this.source === 'cache') return 'cached';
    return this.connected && this.providerWatch.current && this.overrideWatch.current ? 'live' : 'stale';
  }

  /** Resolves once both lists have been read (or failed to be) for the first time. */
  ready(): Promise<void> {
    return this.first;
  }

  /** Seeds the lists from the cache file, if it knows the service and nothing live is known yet. */
  seedFromCache(): void {
    const entry = this.cache?.get(this.service);
    if (!entry || this.source !== 'none') return;
    // A hand-edited file may list a URL twice; a node's children never do.
    this.providers = this.providerNames.update([...new Set(entry.providers)].map(toNodeName));
    this.overrides = this.overrideNames.update([...new Set(entry.configurators)].map(toNodeName));
    this.source = 'cache';
    this.logger.info({ service: this.service, providers: this.providers.length, savedAt: entry.savedAt },
      'registry: using cached provider list');
    this.emit('change');
    this.emit('status');
  }

  /** A (new) session: read both lists anew and watch them. */
  attach(client: CoordClient, generation: number): void {
    this.generation = generation;
    this.providerWatch.attach(client);
    this.overrideWatch.attach(client);
    this.emit('status');
  }

  onConnected(connected: boolean): void {
    const was = this.status;
    this.connected = connected;
    if (connected) {
      this.providerWatch.onConnected();
      this.overrideWatch.onConnected();
    } else {
      this.providerWatch.onDisconnected();
      this.overrideWatch.onDisconnected();
    }
    if (this.status !== was) this.emit('status');
  }

  /** With no session to read from, the first result is whatever the cache holds. */
  settleWithoutSession(): void {
    this.seedFromCache();
    this.firstDone();
  }

  stop(): void {
    this.providerWatch.stop();
    this.overrideWatch.stop();
    this.firstDone();
  }

  private sink(apply: (names: readonly string[]) => void): ChildrenSink {
    let seen = false;
    const settle = (): void => {
      if (seen) return;
      seen = true;
      if (++this.firstReads === 2) this.firstDone();
    };
    return {
      children: (names) => {
        apply(names);
        this.source = 'live';
        settle();
        this.saveToCache();
        this.emit('change');
        this.emit('status');
      },
      outage: (err) => {
        this.logger.debug({ service: this.service, err: String(err) }, 'registry: read lost to an outage; keeping the last good list');
        this.seedFromCache();
        settle();
        this.emit('status');
      },
      failed: (err) => {
        this.logger.error({ service: this.service, err: String(err) }, 'registry: cannot read list; keeping the last good list');
        this.seedFromCache();
        settle();
        this.emit('status');
      },
    };
  }

  private saveToCache(): void {
    if (!this.cache || !this.providerWatch.current || !this.overrideWatch.current) return;
    this.cache.set(this.service, {
      providers: this.providers.map((p) => p.url),
      configurators: this.overrides.map((o) => o.url),
      savedAt: this.now(),
    });
  }

  private parseProvider(url: string): Provider {
    const p = parseProviderUrl(url);
    if (p.service !== this.service) throw mismatch(url, this.service, p.service);
    return p;
  }

  private parseOverride(url: string): ParsedOverride {
    const o = parseOverrideUrl(url);
    if (o.service !== this.service) throw mismatch(url, this.service, o.service);
    return o;
  }
}

function mismatch(url: string, expected: string, found: string): RegistryError {
  return new RegistryError('INVALID_URL', `URL names service "${found}" but is listed under "${expected}"`, url);
}
