import { EventEmitter } from 'node:events';
import { CoordClient } from '@paddock/coord-client';
import { checkOption } from '@paddock/edges';
import { CacheFile } from './cache-file.js';
import { EphemeralSet } from './ephemeral-set.js';
import { RegistryError } from './errors.js';
import { compileFilter, type InstanceFilterSpec } from './instance-filter.js';
import { checkService } from './instance-fields.js';
import { formatConsumerUrl, formatProviderUrl, toNodeName, type ProviderInstance } from './instance-url.js';
import { Layout } from './layout.js';
import { resolveOptions, type RegistryOptions, type ResolvedOptions } from './options.js';
import { OverrideStore, type Override, type OverrideTarget } from './override-store.js';
import { ServiceDirectory } from './service-directory.js';
import { SessionKeeper, type Connect, type RegistryState } from './session-keeper.js';
import { Subscription } from './subscription.js';

/** A provider's registration; `unregister()` removes its node (consumers see it go at once). */
export interface Registration {
  /** The instance URL, as consumers see it. */
  readonly url: string;
  /** Its znode, relative to the connect string's chroot. */
  readonly path: string;
  unregister(): Promise<void>;
}

export interface RegisterOptions {
  /** The registration time written in the URL, ms since the epoch; default now. */
  readonly timestamp?: number;
}

export interface RegistryEvents {
  state: [state: RegistryState];
  /** A new session is up (the first, or one after expiry); ephemerals and watches have been redone or are being redone. */
  session: [generation: number];
}

/**
 * The service registry on a coordination service (Paddock's coord-server or Apache ZooKeeper):
 * providers `register()` an ephemeral node per instance, consumers `discover()` a service and
 * follow its live provider list through watches. The registry makes a new session by itself
 * after an expiry, re-registering and re-subscribing; consumers keep their last good lists
 * through outages.
 */
export class Registry extends EventEmitter<RegistryEvents> {
  private readonly keeper: SessionKeeper;
  private readonly layout: Layout;
  private readonly ephemerals: EphemeralSet;
  private readonly cache: CacheFile | undefined;
  private readonly overrideStore: OverrideStore;
  private readonly dirs = new Map<string, ServiceDirectory>();
  private readonly subscriptions = new Set<Subscription>();
  private closing: Promise<void> | null = null;
  /** Set before closing starts: subscriptions closed by close() leave their nodes to the session's end. */
  private closed = false;

  private constructor(connectString: string, private readonly opts: ResolvedOptions, connect: Connect) {
    super();
    this.layout = new Layout(opts.root);
    this.keeper = new SessionKeeper(connectString, opts, connect);
    this.ephemerals = new EphemeralSet(this.keeper, opts);
    this.cache = opts.cacheFile === undefined ? undefined : new CacheFile(opts.cacheFile, opts.logger);
    this.overrideStore = new OverrideStore(this.keeper, this.layout, opts);
    this.keeper.on('state', (s) => {
      this.syncDirectories();
      this.emit('state', s);
    });
    this.keeper.on('session', (_client, generation) => {
      this.syncDirectories();
      this.emit('session', generation);
    });
  }

  /**
   * Connects to `host:port[,host:port...][/chroot]` and resolves once a session is up. When it
   * cannot get one within `connectTimeout`, it rejects with CONNECT_FAILED, unless a `cacheFile`
   * is set: then it resolves at once, serves cached lists and keeps trying in the background.
   */
  static async connect(connectString: string, opts: RegistryOptions = {}): Promise<Registry> {
    const registry = new Registry(connectString, resolveOptions(opts), (cs, o) => CoordClient.connect(cs, o));
    await registry.cache?.load();
    await registry.keeper.start(registry.cache !== undefined);
    return registry;
  }

  get state(): RegistryState {
    return this.keeper.state;
  }

  /** The current session's client, or null between sessions (for extensions such as the config center). */
  get client(): CoordClient | null {
    return this.keeper.client;
  }

  /** Counts sessions: 1 for the first, +1 for each new session after an expiry. */
  get generation(): number {
    return this.keeper.generation;
  }

  /**
   * Registers a provider instance: validates it (RegistryError naming the bad field), then
   * creates its ephemeral node and resolves once it exists. The node is created again in every
   * new session until `unregister()`. `opts.timestamp` (default now) is the one written in the
   * URL: registering again with the first one gives the same URL (a provider back online).
   */
  async register(instance: ProviderInstance, opts: RegisterOptions = {}): Promise<Registration> {
    this.assertOpen();
    const timestamp = opts.timestamp === undefined ? this.opts.clock.now() : checkOption.intAtLeast('timestamp', opts.timestamp, 0);
    const url = formatProviderUrl(instance, { pid: process.pid, timestamp });
    const path = this.layout.node(instance.service, 'providers', toNodeName(url));
    try {
      await this.ephemerals.add(path);
    } catch (err) {
      await this.ephemerals.remove(path);
      throw err;
    }
    let removed: Promise<void> | null = null;
    return {
      url,
      path,
      unregister: () => (removed ??= this.ephemerals.remove(path)),
    };
  }

  /**
   * Follows a service's providers that match `version` (exact, "*" or a semver range; default
   * "*") and `group` (one, "a,b" or "*"; default "default"). Resolves once the first list is
   * known: read live, or, when the coordination service is unreachable, the last good or cached
   * one. Also registers this consumer under `consumers/`.
   */
  async discover(service: string, filter: InstanceFilterSpec = {}): Promise<Subscription> {
    this.assertOpen();
    checkService(service);
    const f = compileFilter(filter);
    const dir = this.directory(service);
    dir.refs++;
    const consumerUrl = formatConsumerUrl(
      { service, host: this.opts.consumerHost, version: f.version, group: f.group },
      { pid: process.pid, timestamp: this.opts.clock.now() },
    );
    const consumerPath = this.layout.node(service, 'consumers', toNodeName(consumerUrl));
    this.ephemerals.add(consumerPath).catch((err: unknown) => {
      if (!(err instanceof RegistryError && err.code === 'CLOSED')) {
        this.opts.logger.warn({ service, err: String(err) }, 'registry: consumer node not created yet');
      }
    });
    await this.bounded(dir.ready());
    if (dir.status === 'pending') dir.seedFromCache();
    let released = false;
    const sub = new Subscription(service, f, dir, async () => {
      if (released) return;
      released = true;
      this.subscriptions.delete(sub);
      this.releaseDirectory(dir);
      if (!this.closed) await this.ephemerals.remove(consumerPath);
    });
    this.subscriptions.add(sub);
    return sub;
  }

  /**
   * Writes a configurator override for a service (persistent): one rule per target host[:port],
   * replacing an earlier rule for the same target. Resolves with the rule's URL.
   */
  async setOverride(service: string, override: Override): Promise<string> {
    this.assertOpen();
    return this.overrideStore.set(service, override);
  }

  /** Removes the override rules for a target (default: the any-host rule). */
  async clearOverride(service: string, target: OverrideTarget = {}): Promise<void> {
    this.assertOpen();
    return this.overrideStore.clear(service, target);
  }

  /** Ends subscriptions and the session (all this process's ephemeral nodes go at once); writes the cache. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.close()));
      for (const dir of this.dirs.values()) dir.stop();
      this.dirs.clear();
      this.ephemerals.close();
      await this.keeper.close();
      await this.cache?.flush();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closed || this.keeper.state === 'closed') throw new RegistryError('CLOSED', 'the registry is closed');
  }

  private directory(service: string): ServiceDirectory {
    let dir = this.dirs.get(service);
    if (dir) return dir;
    dir = new ServiceDirectory(service, this.layout, this.opts.logger, this.cache, () => this.opts.clock.now(), this.opts.watchMode);
    this.dirs.set(service, dir);
    const { client, generation, state } = this.keeper;
    if (client) {
      dir.attach(client, generation);
      dir.onConnected(state === 'connected');
    } else {
      dir.settleWithoutSession();
    }
    return dir;
  }

  private releaseDirectory(dir: ServiceDirectory): void {
    if (--dir.refs > 0) return;
    dir.stop();
    if (this.dirs.get(dir.service) === dir) this.dirs.delete(dir.service);
  }

  /** Brings every directory to the current session: attach after a new one, tell connection changes. */
  private syncDirectories(): void {
    const { client, generation, state } = this.keeper;
    for (const dir of this.dirs.values()) {
      if (client && dir.generation !== generation) dir.attach(client, generation);
      dir.onConnected(state === 'connected');
    }
  }

  /** Waits for a first result at most operationTimeoutMs; after that the directory serves what it has. */
  private async bounded(p: Promise<void>): Promise<void> {
    let timer: unknown;
    const late = new Promise<void>((resolve) => { timer = this.opts.clock.setTimeout(resolve, this.opts.operationTimeoutMs); });
    await Promise.race([p, late]);
    this.opts.clock.clearTimeout(timer);
  }
}
