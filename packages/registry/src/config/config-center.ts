import { EventEmitter } from 'node:events';
import {
  Code, CoordClient, KeeperError, type ClientState, type CoordClientOptions, type Logger,
} from '@paddock/coord-client';
import { CONFIG_ROOT, checkKey, keyPath, namespacePath } from './config-names.js';
import type { ConfigListener, ConfigUpdate } from './config-update.js';
import { decodeValue, encodeValue, type JsonValue } from './config-value.js';
import { KeyWatch } from './key-watch.js';
import { LiveValue, isBoolean, type Toggle } from './live-value.js';

export interface ConfigCenterOptions {
  /** pino or anything with the same methods; nothing is logged without one. */
  readonly logger?: Logger;
  /** Bound on keys watched at once (each holds a watch on the server); default 10000. */
  readonly maxWatchedKeys?: number;
}

export interface ConfigCenterConnectOptions extends ConfigCenterOptions {
  /** Options of the sessions the center opens (the first and each one after an expiry). */
  readonly client?: CoordClientOptions;
  /** Pause after a failed attempt to open a new session, doubling up to 10 s; default 100 ms. */
  readonly renewDelayMs?: number;
}

export type ConfigCenterEvents = {
  /** The session expired: watches are silent until a new session is attached (`session`). */
  expired: [];
  /** A new session is in use (after an expiry, or `attach`); every watch has re-read its key. */
  session: [client: CoordClient];
};

/** A watch returned by `ConfigCenter.watch`. */
export interface ConfigWatch {
  /** Stops calling the listener. */
  close(): void;
}

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const MAX_RENEW_DELAY_MS = 10_000;

function isCode(err: unknown, code: number): boolean {
  return err instanceof KeeperError && err.code === code;
}

/**
 * Config keys as znodes (`/config/<namespace>/<key>`, data = the JSON value): read, write,
 * list, and watch them live. Built on a CoordClient, so it works against our server and
 * Apache ZooKeeper alike, with or without the registry.
 *
 * Sessions: a center from `connect()` owns its session and opens a new one when it expires;
 * one built on a caller's client reports the expiry (`expired`) and resumes when the caller
 * hands it the next session with `attach()`. Watches survive lost connections either way.
 */
export class ConfigCenter extends EventEmitter<ConfigCenterEvents> {
  private zk: CoordClient;
  private readonly watches = new Map<string, KeyWatch>();
  private readonly logger: Logger;
  private readonly maxWatchedKeys: number;
  /** Set when the center owns its sessions: opens the next one. */
  private renew: (() => Promise<CoordClient>) | null = null;
  private renewDelayMs = 100;
  private renewTimer: NodeJS.Timeout | null = null;
  private disconnected = false;
  private closed = false;

  constructor(client: CoordClient, opts: ConfigCenterOptions = {}) {
    super();
    // Duck-typed: a CoordClient from another copy of the package is just as good.
    if (typeof (client as Partial<CoordClient> | null)?.getData !== 'function') {
      throw new TypeError('new ConfigCenter() needs a CoordClient; for a connect string use ConfigCenter.connect()');
    }
    this.zk = client;
    this.logger = opts.logger ?? silent;
    this.maxWatchedKeys = opts.maxWatchedKeys ?? 10_000;
    client.on('state', this.onState);
  }

  /** Opens its own session to `connectString` (`host:port,...[/chroot]`) and renews it on expiry. */
  static async connect(connectString: string, opts: ConfigCenterConnectOptions = {}): Promise<ConfigCenter> {
    const open = (): Promise<CoordClient> => CoordClient.connect(connectString, opts.client);
    const center = new ConfigCenter(await open(), opts);
    center.renew = open;
    center.renewDelayMs = opts.renewDelayMs ?? 100;
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
      if (isCode(err, Code.NoNode)) return undefined;
      throw err;
    }
  }

  /** Writes the value as JSON, creating `/config` and the namespace when missing. */
  async set(namespace: string, key: string, value: JsonValue): Promise<void> {
    const path = keyPath(namespace, key);
    const data = encodeValue(namespace, key, value);
    try {
      await this.zk.setData(path, data);
      return;
    } catch (err) {
      if (!isCode(err, Code.NoNode)) throw err;
    }
    await this.createIfMissing(CONFIG_ROOT);
    await this.createIfMissing(namespacePath(namespace));
    try {
      await this.zk.create(path, data);
    } catch (err) {
      // Another writer created it first: ours is the later write.
      if (!isCode(err, Code.NodeExists)) throw err;
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
      if (isCode(err, Code.NoNode)) return false;
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
   * Resolves once the first state has been delivered.
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
        listener(u);
        if (first) {
          first = false;
          resolve(handle);
        }
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
    if (client === this.zk) return;
    this.zk.off('state', this.onState);
    this.zk = client;
    this.disconnected = false;
    client.on('state', this.onState);
    this.refreshAll();
    this.emit('session', client);
  }

  /** Stops every watch; closes the session only when the center opened it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    for (const kw of this.watches.values()) kw.close();
    this.watches.clear();
    this.zk.off('state', this.onState);
    if (this.renew) await this.zk.close();
  }

  private readonly onState = (state: ClientState): void => {
    if (state === 'disconnected') {
      this.disconnected = true;
    } else if ((state === 'connected' || state === 'connectedReadOnly') && this.disconnected) {
      // Reads that failed with ConnectionLoss left no watch behind; read every key again.
      this.disconnected = false;
      this.refreshAll();
    } else if (state === 'expired') {
      this.logger.warn({ sessionId: this.zk.sessionId.toString(16) }, 'config center session expired');
      this.emit('expired');
      if (this.renew && !this.closed) void this.renewSession(0);
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

  /** Opens the next session, retrying with a doubling pause (as the client does between hosts). */
  private async renewSession(attempt: number): Promise<void> {
    const open = this.renew;
    if (!open || this.closed) return;
    try {
      const client = await open();
      if (this.closed) {
        await client.close();
        return;
      }
      const old = this.zk;
      this.attach(client);
      await old.close();
    } catch (err) {
      const delay = Math.min(this.renewDelayMs * 2 ** Math.min(attempt, 16), MAX_RENEW_DELAY_MS);
      this.logger.warn({ err, attempt, delay }, 'config center could not open a new session; retrying');
      this.renewTimer = setTimeout(() => void this.renewSession(attempt + 1), delay);
    }
  }

  private async children(path: string): Promise<string[]> {
    try {
      return (await this.zk.getChildren(path)).sort();
    } catch (err) {
      if (isCode(err, Code.NoNode)) return [];
      throw err;
    }
  }

  private async createIfMissing(path: string): Promise<void> {
    try {
      await this.zk.create(path, null);
    } catch (err) {
      if (!isCode(err, Code.NodeExists)) throw err;
    }
  }
}
