import zookeeper from 'node-zookeeper-client';

/**
 * Promise wrappers over node-zookeeper-client's callback API, with every wait bounded, so the
 * compat suite reads as a list of ZooKeeper facts rather than callback plumbing.
 */

const { ACL, CreateMode, Exception } = zookeeper;
export type Stat = zookeeper.Stat;
export type NzcEvent = zookeeper.Event;

/** Bound on any single client call or event; generous, since a hang is the failure we want to see. */
export const WAIT_MS = 10_000;

export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The ZooKeeper error code a call failed with; throws if it succeeded or failed otherwise. */
export async function codeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Exception) return e.getCode();
    throw e;
  }
  throw new Error('expected the call to fail with a ZooKeeper error, but it succeeded');
}

export function long(b: Buffer): bigint {
  return b.readBigInt64BE(0);
}

/** A one-shot watcher plus a promise of the event it receives. */
export function watcher(what: string): { fn: zookeeper.Watcher; fired: Promise<NzcEvent> } {
  let fn!: zookeeper.Watcher;
  const fired = within(new Promise<NzcEvent>((resolve) => { fn = resolve; }), WAIT_MS, `watch ${what}`);
  fired.catch(() => undefined); // observed by the test that awaits it; never an unhandled rejection
  return { fn, fired };
}

function cb<T>(resolve: (v: T) => void, reject: (e: Error) => void) {
  return (error: Error | null, result: T): void => (error ? reject(error) : resolve(result));
}

export class NzcSession {
  private constructor(readonly client: zookeeper.Client) {}

  static async connect(connectString: string, auth?: { scheme: string; auth: string }): Promise<NzcSession> {
    const client = zookeeper.createClient(connectString, { sessionTimeout: 10_000, spinDelay: 100, retries: 0 });
    if (auth) client.addAuthInfo(auth.scheme, Buffer.from(auth.auth));
    const connected = new Promise<void>((resolve) => client.once('connected', () => resolve()));
    client.connect();
    try {
      await within(connected, WAIT_MS, `connect to ${connectString}`);
    } catch (e) {
      client.close();
      throw e;
    }
    return new NzcSession(client);
  }

  sessionId(): bigint {
    return long(this.client.getSessionId());
  }

  /**
   * Cuts the TCP connection under the client (its private socket: there is no public way) and
   * waits until it has reconnected, which it does with the same session id and password.
   */
  async dropConnection(): Promise<void> {
    const internals = this.client as unknown as { connectionManager: { socket: { destroy(): void } } };
    const reconnected = new Promise<void>((resolve) => this.client.once('connected', () => resolve()));
    internals.connectionManager.socket.destroy();
    await within(reconnected, WAIT_MS, 'reconnect');
  }

  /** Sends closeSession and waits until the server drops the connection. */
  async close(): Promise<void> {
    const gone = new Promise<void>((resolve) => this.client.once('disconnected', () => resolve()));
    this.client.close();
    await within(gone, WAIT_MS, 'close session');
  }

  private call<T>(what: string, run: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
    return within(new Promise<T>(run), WAIT_MS, what);
  }

  create(path: string, data?: Buffer, mode: number = CreateMode.PERSISTENT, acls = ACL.OPEN_ACL_UNSAFE): Promise<string> {
    return this.call(`create ${path}`, (res, rej) => this.client.create(path, data, acls, mode, cb(res, rej)));
  }

  mkdirp(path: string, data?: Buffer): Promise<string> {
    return this.call(`mkdirp ${path}`, (res, rej) =>
      this.client.mkdirp(path, data, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, cb(res, rej)));
  }

  remove(path: string, version = -1): Promise<void> {
    return this.call(`remove ${path}`, (res, rej) =>
      this.client.remove(path, version, (e) => (e ? rej(e) : res())));
  }

  removeRecursive(path: string): Promise<void> {
    return this.call(`removeRecursive ${path}`, (res, rej) =>
      this.client.removeRecursive(path, -1, (e) => (e ? rej(e) : res())));
  }

  exists(path: string, watch?: zookeeper.Watcher): Promise<Stat | null> {
    return this.call(`exists ${path}`, (res, rej) => this.client.exists(path, watch, cb(res, rej)));
  }

  getData(path: string, watch?: zookeeper.Watcher): Promise<{ data: Buffer | undefined; stat: Stat }> {
    return this.call(`getData ${path}`, (res, rej) =>
      this.client.getData(path, watch, (e, data, stat) => (e ? rej(e) : res({ data, stat }))));
  }

  setData(path: string, data: Buffer, version = -1): Promise<Stat> {
    return this.call(`setData ${path}`, (res, rej) => this.client.setData(path, data, version, cb(res, rej)));
  }

  getChildren(path: string, watch?: zookeeper.Watcher): Promise<{ children: string[]; stat: Stat }> {
    return this.call(`getChildren ${path}`, (res, rej) =>
      this.client.getChildren(path, watch, (e, children, stat) => (e ? rej(e) : res({ children, stat }))));
  }

  listSubTreeBFS(path: string): Promise<string[]> {
    return this.call(`listSubTreeBFS ${path}`, (res, rej) => this.client.listSubTreeBFS(path, cb(res, rej)));
  }

  getACL(path: string): Promise<{ acls: zookeeper.ACL[]; stat: Stat }> {
    return this.call(`getACL ${path}`, (res, rej) =>
      this.client.getACL(path, (e, acls, stat) => (e ? rej(e) : res({ acls, stat }))));
  }

  setACL(path: string, acls: zookeeper.ACL[], version = -1): Promise<Stat> {
    return this.call(`setACL ${path}`, (res, rej) => this.client.setACL(path, acls, version, cb(res, rej)));
  }

  /** Commits a transaction; resolves with the error (if any) and the per-op results. */
  commit(build: (t: zookeeper.Transaction) => zookeeper.Transaction): Promise<{ error: Error | null; results: zookeeper.OpResult[] }> {
    return this.call('transaction', (res) =>
      build(this.client.transaction()).commit((error, results) => res({ error, results: results ?? [] })));
  }
}
