import { Code, EventType, type CoordClient, type Watcher } from '@paddock/coord-client';
import type { Logger } from '@paddock/edges';
import { hasCode } from '../outage.js';
import type { ConfigListener, ConfigUpdate } from './config-update.js';
import { ConfigValueError, decodeValue } from './config-value.js';

/**
 * One watched key, shared by every listener on it: a one-shot data (or exists) watch re-armed
 * by each read, as ZooKeeper's own NodeCache does. One-shot watches are the right kind here:
 * on reconnect the client re-sends them with the last zxid it saw and the server fires those
 * whose node changed meanwhile, which persistent watches do not do.
 *
 * Reads run one at a time; a change noticed during a read makes one more read after it, so
 * listeners see states in the order they happened and never an older one after a newer one.
 * A state equal to the last one delivered (same mzxid, or still missing) is not repeated.
 */
export class KeyWatch {
  private readonly listeners = new Set<ConfigListener>();
  private last: ConfigUpdate | null = null;
  private lastStamp = '';
  private reading = false;
  private again = false;
  private closed = false;

  constructor(
    readonly namespace: string,
    readonly key: string,
    private readonly path: string,
    /** The center's current session (a new one after an expiry). */
    private readonly client: () => CoordClient,
    private readonly logger: Logger,
  ) {}

  /** Node events re-read the key; connection-state events are handled by the center. */
  private readonly watcher: Watcher = (e) => {
    if (e.type !== EventType.None) this.refresh();
  };

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Adds a listener; it gets the current state at once when one is known, else with the first read. */
  add(listener: ConfigListener): void {
    this.listeners.add(listener);
    if (this.last) this.call(listener, this.last);
  }

  remove(listener: ConfigListener): void {
    this.listeners.delete(listener);
  }

  /** Reads the key again (and re-arms its watch); coalesced with a read already running. */
  refresh(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    void this.readLoop();
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
  }

  private async readLoop(): Promise<void> {
    do {
      this.again = false;
      await this.readOnce();
    } while (this.again && !this.closed);
    this.reading = false;
  }

  private async readOnce(): Promise<void> {
    const zk = this.client();
    try {
      const state = await this.read(zk);
      if (state) this.deliver(state.update, state.stamp);
    } catch (err) {
      // Lost connection: the center refreshes every key when the session is back, unless it already is.
      if (hasCode(err, Code.ConnectionLoss)) this.again ||= zk.state === 'connected' || zk.state === 'connectedReadOnly';
      // Expired session: the center reports it and refreshes every key on the next session.
      else if (!hasCode(err, Code.SessionExpired)) {
        const error = err instanceof Error ? err : new Error(String(err));
        this.deliver({ ...this.where(), kind: 'failed', error }, `failed:${error.message}`);
      }
    }
  }

  /** The key's state and what tells it from the last one; null when it appeared between two reads (read again). */
  private async read(zk: CoordClient): Promise<{ update: ConfigUpdate; stamp: string } | null> {
    try {
      const { data, stat } = await zk.getData(this.path, this.watcher);
      return { update: this.decode(data, stat.version), stamp: `mzxid:${stat.mzxid}` };
    } catch (err) {
      if (!hasCode(err, Code.NoNode)) throw err;
    }
    if (await zk.exists(this.path, this.watcher)) {
      this.again = true;
      return null;
    }
    return { update: { ...this.where(), kind: 'missing' }, stamp: 'missing' };
  }

  private decode(data: Buffer, version: number): ConfigUpdate {
    try {
      return { ...this.where(), kind: 'value', value: decodeValue(this.namespace, this.key, data), version };
    } catch (err) {
      if (!(err instanceof ConfigValueError)) throw err;
      return { ...this.where(), kind: 'invalid', error: err, version };
    }
  }

  private where(): { namespace: string; key: string } {
    return { namespace: this.namespace, key: this.key };
  }

  private deliver(update: ConfigUpdate, stamp: string): void {
    if (this.closed || stamp === this.lastStamp) return;
    this.last = update;
    this.lastStamp = stamp;
    for (const listener of [...this.listeners]) this.call(listener, update);
  }

  /** A listener that throws is logged, as the client does for watchers; the watch goes on. */
  private call(listener: ConfigListener, update: ConfigUpdate): void {
    try {
      listener(update);
    } catch (err) {
      this.logger.error({ err, namespace: this.namespace, key: this.key }, 'config listener threw');
    }
  }
}
