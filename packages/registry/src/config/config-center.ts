import { EventEmitter } from 'node:events';
import { Code, CoordClient, type ClientState } from '@paddock/coord-client';
import { OptionError, checkOption, silentLogger, type Logger } from '@paddock/edges';
import { resolveOptions, type RegistryOptions } from '../options.js';
import { hasCode } from '../outage.js';
import type { Registry } from '../registry.js';
import { SessionKeeper, hex } from '../session-keeper.js';
import { CONFIG_ROOT, checkKey, keyPath, namespacePath } from './config-names.js';
import type { ConfigListener, ConfigUpdate } from './config-update.js';
import { DEFAULT_JUTE_MAX_BUFFER, decodeValue, encodeValue, maxValueBytes, type JsonValue } from './config-value.js';
import { RegistryError } from '../errors.js';
import { KeyWatch } from './key-watch.js';
import { LiveValue, isBoolean, type Toggle } from './live-value.js';

export interface ConfigCenterOptions {
  /** pino or anything with the same methods; nothing is logged without one. */
  readonly logger?: Logger;
  /** Bound on keys watched at once (each holds a watch on the server); default 10000. */
  readonly maxWatchedKeys?: number;
  /**
   * The server's jute.maxbuffer (default 0xfffff, ZooKeeper's): `set` refuses a value whose
   * request would be longer, instead of sending it and losing the connection.
   */
  readonly juteMaxBuffer?: number;
}

/** For a center with its own sessions: the registry's session options, with the same defaults. */
export type ConfigCenterConnectOptions = ConfigCenterOptions
  & Pick<RegistryOptions, 'sessionTimeout' | 'connectTimeout' | 'reconnect' | 'client' | 'clock' | 'random'>;

export type ConfigCenterEvents = {
  /** The session expired: watches are silent until a new session is attached (`session`). */
  expired: [];
  /** A new session is in use (after an expiry, or `attach`); every watch re-reads its key on it. */
  session: [client: CoordClient];
};

/** A watch returned by `ConfigCenter.watch`. */
export interface ConfigWatch {
  /** Stops calling the listener. */
  close(): void;
}

/**
 * Config keys as znodes (`/config/<namespace>/<key>`, data = the JSON value): read, write,
 * list, and watch them live. Built on a CoordClient, so it works against our server and
 * Apache ZooKeeper alike, with or without the registry.
 *
 * Sessions: a center from `connect()` owns its sessions (the registry's SessionKeeper opens a
 * new one after an expiry); one from `forRegistry()` follows the registry's sessions; one built
 * on a caller's client reports the expiry (`expired`) and resumes when the caller hands it the
 * next session with `attach()`. Watches survive lost connections in every case.
 */
export class ConfigCenter extends EventEmitter<ConfigCenterEvents> {
  private zk: CoordClient;
  private readonly watches = new Map<string, KeyWatch>();
  private readonly logger: Logger;
  private readonly maxWatchedKeys: number;
  private readonly juteMaxBuffer: number;
  /** Stops following a session source (and closes it when the center owns it). */
  private release: () => Promise<void> = async () => {};
  private disconnected = false;
  private closed = false;

  constructor(client: CoordClient, opts: ConfigCenterOptions = {}) {
    super();
    // Duck-typed: a CoordClient from another copy of the package is just as good.
    if (typeof (client as Partial<CoordClient> | null)?.getData !== 'function') {
      throw new OptionError('client', client, { message: 'new ConfigCenter() needs a CoordClient; for a connect string use ConfigCenter.connect()' });
    }
    this.zk = client;
    this.logger = opts.logger ?? silentLogger;
    this.maxWatchedKeys = opts.maxWatchedKeys ?? 10_000;
    this.juteMaxBuffer = checkOption.intAtLeast('juteMaxBuffer', opts.juteMaxBuffer ?? DEFAULT_JUTE_MAX_BUFFER, 1024);
    client.on('state', this.onState);
  }

  /**
   * Opens its own session to `connectString` (`host:port,...[/chroot]`) and a new one after
   * each expiry. Rejects with a RegistryError CONNECT_FAILED when no session comes up in time.
   */
  static async connect(connectString: string, opts: ConfigCenterConnectOptions = {}): Promise<ConfigCenter> {
    const keeper = new SessionKeeper(connectString, resolveOptions(opts), (cs, o) => CoordClient.connect(cs, o));
    await keeper.start(false);
    const center = new ConfigCenter(keeper.client as CoordClient, opts);
    const onSession = (client: CoordClient): void => center.attach(client);
    keeper.on('session', onSession);
    center.release = async () => {
      keeper.off('session', onSession);
      await keeper.close();
    };
    return center;
  }

  /** A center on a registry's sessions: it follows the registry to each new session; closing it leaves the registry alone. */
  static forRegistry(registry: Registry, opts: ConfigCenterOptions = {}): ConfigCenter {
    const client = registry.client;
    if (!client) throw new Error(`ConfigCenter.forRegistry: the registry has no session right now (state ${registry.state})`);
    const center = new ConfigCenter(client, opts);
    const onSession = (): void => {
      if (registry.client) center.attach(registry.client);
    };
    registry.on('session', onSession);
    center.release = async () => {
      registry.off('session', onSession);
    };
    return center;
  }

  /** The session in use now. */
  get client(): CoordClient {
    return this.zk;
  }

  /** The key's value; undefined when it does not exist. Data that is not JSON rejects with a ConfigValueError. */
  async get(namespace: string, key: string): Promise<JsonValue | undefined> {
    const path = keyPath(namespace, key);
    try {
      return decodeValue(namespace, key, (await this.zk.getData(path)).data);
    } catch (err) {
      if (hasCode(err, Code.NoNode)) return undefined;
      throw err;
    }
  }

  /** Writes the value as JSON, creating `/config` and the namespace when missing. */
  async set(namespace: string, key: string, value: JsonValue): Promise<void> {
    const path = keyPath(namespace, key);
    const data = encodeValue(namespace, key, value);
    const serverPath = (this.zk.chroot ?? '') + path;
    const max = maxValueBytes(serverPath, this.juteMaxBuffer);
    if (data.length > max) {
      throw new RegistryError(
        'VALUE_TOO_LARGE',
        `config ${namespace}/${key}: value is ${data.length} bytes as JSON; at ${serverPath} a key holds at most ${max} `
          + `(the request must fit the server's jute.maxbuffer, ${this.juteMaxBuffer} bytes, path and ACL included)`,
        data.length,
      );
    }
    try {
      await this.zk.setData(path, data);
      return;
    } catch (err) {
      if (!hasCode(err, Code.NoNode)) throw err;
    }
    await this.createIfMissing(CONFIG_ROOT);
    await this.createIfMissing(namespacePath(namespace));
    try {
      await this.zk.create(path, data);
    } catch (err) {
      // Another writer created it first: ours is the later write.
      if (!hasCode(err, Code.NodeExists)) throw err;
      await this.zk.setData(path, data);
    }
  }

  /** Removes the key; false when it did not exist. */
  async delete(namespace: string, key: string): Promise<boolean> {
    const path = keyPath(namespace, key);
    try {
      await this.zk.delete(path);
      return true;
    } catch (err) {
      if (hasCode(err, Code.NoNode)) return false;
      throw err;
    }
  }

  /** The namespace's keys, sorted; empty when the namespace does not exist. */
  async list(namespace: string): Promise<string[]> {
    return this.children(namespacePath(namespace));
  }

  /** Every namespace, sorted. */
  async namespaces(): Promise<string[]> {
    return this.children(CONFIG_ROOT);
  }

  /**
   * Calls `listener` with the key's current state, then on every change, until closed.
   * Resolves once the first state has been delivered (when the session has expired, once the
   * next one is attached).
   */
  async watch(namespace: string, key: string, listener: ConfigListener): Promise<ConfigWatch> {
    const path = keyPath(namespace, key);
    if (typeof listener !== 'function') throw new TypeError(`watch of config ${namespace}/${key} needs a listener function`);
    if (this.closed) throw new Error('ConfigCenter is closed');
    let kw = this.watches.get(path);
    if (!kw) {
      if (this.watches.size >= this.maxWatchedKeys) {
        throw new RangeError(`cannot watch config ${namespace}/${key}: ${this.maxWatchedKeys} keys are watched already (maxWatchedKeys)`);
      }
      kw = new KeyWatch(namespace, key, path, () => this.zk, this.logger);
      this.watches.set(path, kw);
      kw.refresh();
    }
    const watch = kw;
    return new Promise((resolve) => {
      let first = true;
      const handle: ConfigWatch = { close: () => this.unwatch(path, watch, own) };
      const own: ConfigListener = (u: ConfigUpdate) => {
        // Resolved first, so a listener that throws (logged by the watch) cannot leave watch() pending.
        if (first) {
          first = false;
          resolve(handle);
        }
        listener(u);
      };
      watch.add(own);
    });
  }

  /** A live boolean: `defaultValue` while the key is missing, the key's boolean otherwise. */
  async toggle(namespace: string, key: string, defaultValue: boolean): Promise<Toggle> {
    checkKey(namespace, key);
    if (typeof defaultValue !== 'boolean') {
      throw new TypeError(`toggle ${namespace}/${key} needs a boolean default, got ${typeof defaultValue}`);
    }
    const live = new LiveValue(namespace, key, defaultValue, isBoolean, 'boolean');
    const watch = await this.watch(namespace, key, live.listener);
    live.attach(() => watch.close());
    return live;
  }

  /**
   * Continues on another session (after the previous one expired, or to move): every watch
   * re-reads its key on it, and listeners hear of whatever changed meanwhile.
   */
  attach(client: CoordClient): void {
    if (this.closed || client === this.zk) return;
    this.zk.off('state', this.onState);
    this.zk = client;
    this.disconnected = false;
    client.on('state', this.onState);
    this.refreshAll();
    this.emit('session', client);
  }

  /** Stops every watch; closes the session only when the center opened it (`connect`). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const kw of this.watches.values()) kw.close();
    this.watches.clear();
    this.zk.off('state', this.onState);
    await this.release();
  }

  private readonly onState = (state: ClientState): void => {
    if (state === 'disconnected') {
      this.disconnected = true;
    } else if ((state === 'connected' || state === 'connectedReadOnly') && this.disconnected) {
      // Reads that failed with ConnectionLoss left no watch behind; read every key again.
      this.disconnected = false;
      this.refreshAll();
    } else if (state === 'expired') {
      this.logger.warn({ sessionId: hex(this.zk.sessionId) }, 'config center: session expired');
      this.emit('expired');
    }
  };

  private refreshAll(): void {
    for (const kw of this.watches.values()) kw.refresh();
  }

  private unwatch(path: string, kw: KeyWatch, listener: ConfigListener): void {
    kw.remove(listener);
    if (kw.listenerCount === 0 && this.watches.get(path) === kw) {
      kw.close();
      this.watches.delete(path);
    }
  }

  private async children(path: string): Promise<string[]> {
    try {
      return (await this.zk.getChildren(path)).sort();
    } catch (err) {
      if (hasCode(err, Code.NoNode)) return [];
      throw err;
    }
  }

  private async createIfMissing(path: string): Promise<void> {
    try {
      await this.zk.create(path, null);
    } catch (err) {
      if (!hasCode(err, Code.NodeExists)) throw err;
    }
  }
}
