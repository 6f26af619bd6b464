import { EventEmitter } from 'node:events';
import type { CoordClient, Logger } from '@paddock/coord-client';
import type { CacheFile } from './cache-file.js';
import { ChildrenWatch, type ChildrenSink, type ChildrenWatchMode } from './children-watch.js';
import { RegistryError } from './errors.js';
import { fromNodeName, parseProviderUrl, toNodeName, type Provider } from './instance-url.js';
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

/** Each name's index in `names`. */
function indexOf(names: readonly string[]): Map<string, number> {
  return new Map(names.map((n, k) => [n, k]));
}

/** Up to this many joins plus leaves are patched into the sorted list; more, and it is sorted anew. */
const PATCH_LIMIT = 16;

/**
 * Parses a node name once; a malformed one is logged once and remembered as null. Successive
 * lists of a node mostly differ by a name or two in the same order, so `update` walks the new
 * list in step with the last one and looks names up only where they part, and keeps its result
 * in `order` by patching the few values that came or went instead of sorting everything again.
 */
export class NodeNames<T> {
  private names: readonly string[] = [];
  private values: readonly (T | null)[] = [];
  private sorted: readonly T[] = [];

  constructor(
    private readonly parse: (url: string) => T,
    private readonly onBad: (name: string, err: unknown) => void,
    private readonly order: (a: T, b: T) => number,
  ) {}

  /**
   * The valid entries among `names` (each name once, as a node's children are), sorted by
   * `order`; forgets names no longer listed. Names already known are kept as the strings read
   * first, so a fresh read's copies die young. The result is a new array each time.
   */
  update(names: readonly string[]): readonly T[] {
    const lastNames = this.names;
    const lastValues = this.values;
    const kept: string[] = new Array<string>(names.length);
    const values: (T | null)[] = new Array<T | null>(names.length);
    const used = new Uint8Array(lastNames.length);
    const fresh: T[] = [];
    let byName: Map<string, number> | undefined;
    // A last name may come later than the walk: one was left out of it or matched off it.
    let outOfStep = false;
    let j = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      let at = -1;
      if (lastNames[j] === name) at = j++;
      else if (lastNames[j + 1] === name) { // one name left here
        at = j + 1;
        j += 2;
        outOfStep = true;
      } else if (j < lastNames.length || outOfStep) {
        byName ??= indexOf(lastNames);
        at = byName.get(name) ?? -1;
        outOfStep = true;
      } // else every last name was walked past in step: a new name (the usual join).
      const value = at >= 0 ? lastValues[at] as T | null : this.parseOrNull(name);
      kept[i] = at >= 0 ? lastNames[at] as string : name;
      values[i] = value;
      if (at >= 0) used[at] = 1;
      else if (value !== null) fresh.push(value);
    }
    const dropped: T[] = [];
    for (let k = 0; k < lastValues.length; k++) if (used[k] === 0 && lastValues[k] != null) dropped.push(lastValues[k] as T);
    this.names = kept;
    this.values = values;
    this.sorted = this.patch(dropped, fresh);
    return this.sorted;
  }

  /** The last sorted list without `dropped` and with `fresh`, patched in place when they are few. */
  private patch(dropped: readonly T[], fresh: readonly T[]): T[] {
    if (dropped.length === 0 && fresh.length === 0) return [...this.sorted];
    if (dropped.length + fresh.length > PATCH_LIMIT) {
      const gone = new Set(dropped);
      return [...this.sorted.filter((v) => !gone.has(v)), ...fresh].sort(this.order);
    }
    const list = [...this.sorted];
    for (const v of dropped) {
      // The first entry not before v, then on to v itself among equal ones.
      let at = this.firstAfter(list, v, false);
      while (at < list.length && list[at] !== v) at++;
      if (at < list.length) list.splice(at, 1);
    }
    for (const v of fresh) list.splice(this.firstAfter(list, v, true), 0, v);
    return list;
  }

  /** Binary search in `list`: the first index whose entry sorts after `v` (pastEqual) or not before it. */
  private firstAfter(list: readonly T[], v: T, pastEqual: boolean): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.order(list[mid] as T, v);
      if (c < 0 || (pastEqual && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private parseOrNull(name: string): T | null {
    try {
      return this.parse(fromNodeName(name));
    } catch (err) {
      this.onBad(name, err);
      return null;
    }
  }
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
