import { CoordClient, CreateMode, KeeperError } from '@paddock/coord-client';
import zookeeper from 'node-zookeeper-client';
import { NzcSession, within } from '../../compat/node-zookeeper-client.harness.js';
import type { ZkInput, ZkOutput } from '../../model/linearizability/index.js';
import { ZK_OPS, type ZkErrorName } from '../../model/linearizability/zk-ops.js';

/** Which client library a session is: ours, or node-zookeeper-client (a third-party pure-JS client). */
export type Lib = 'coord' | 'nzc';

const NZC_CODES = new Map<number, string>([
  [zookeeper.Exception.NO_NODE, 'NoNode'], [zookeeper.Exception.NODE_EXISTS, 'NodeExists'], [zookeeper.Exception.BAD_VERSION, 'BadVersion'],
]);

/**
 * One client session of either library, doing the checker's ops. `run` resolves with the
 * outcome (ok, or an error the model knows) and throws when the outcome is unknown
 * (ConnectionLoss, SessionExpired, a timeout): the op may or may not have happened.
 */
export interface ZkSession {
  readonly lib: Lib;
  run(input: ZkInput): Promise<ZkOutput>;
  /** Only ours: node-zookeeper-client has no sync. */
  sync(path: string): Promise<void>;
  /** False once the session is expired or closed: later calls fail at once. */
  usable(): boolean;
  /** Closes it without waiting long for a server that may not answer. */
  close(): Promise<void>;
}

/** Bound on one call; past it the op's outcome is unknown and the session is given up. */
export const OP_MS = 10_000;
const CLOSE_MS = 2000;

/**
 * The op's outcome from a failure: an error the checker's model knows for that op, or a
 * rethrow (any other failure leaves the outcome unknown).
 */
function modeled(input: ZkInput, name: string | undefined, e: unknown): ZkOutput {
  const known: readonly string[] = ZK_OPS[input.op].errors;
  if (name === undefined || !known.includes(name)) throw e;
  return { code: name as ZkErrorName };
}

class CoordSession implements ZkSession {
  readonly lib = 'coord';
  constructor(private readonly c: CoordClient) {}

  async run(input: ZkInput): Promise<ZkOutput> {
    try {
      return await within(this.call(input), OP_MS, `${input.op} ${input.path}`);
    } catch (e) {
      return modeled(input, e instanceof KeeperError ? e.codeName : undefined, e);
    }
  }

  private async call(i: ZkInput): Promise<ZkOutput> {
    const c = this.c;
    switch (i.op) {
      case 'create': return c.create(i.path, Buffer.from(i.data)).then(() => ({ code: 'ok' }));
      case 'createSequential':
        return c.create(i.path, Buffer.from(i.data ?? ''), { mode: CreateMode.PERSISTENT_SEQUENTIAL }).then((path) => ({ code: 'ok', path }));
      case 'delete': return c.delete(i.path, i.version).then(() => ({ code: 'ok' }));
      case 'setData': return c.setData(i.path, Buffer.from(i.data), i.version).then((s) => ({ code: 'ok', version: s.version }));
      case 'getData': return c.getData(i.path).then((r) => ({ code: 'ok', data: r.data.toString(), version: r.stat.version }));
      case 'exists': return c.exists(i.path).then((s) => (s ? { code: 'ok', version: s.version } : { code: 'NoNode' }));
      case 'getChildren': return c.getChildren(i.path).then((children) => ({ code: 'ok', children }));
    }
  }

  sync(path: string): Promise<void> {
    return within(this.c.sync(path), OP_MS, `sync ${path}`);
  }

  usable(): boolean {
    return this.c.state !== 'expired' && this.c.state !== 'closed' && this.c.state !== 'authFailed';
  }

  async close(): Promise<void> {
    await within(this.c.close(), CLOSE_MS, 'close').catch(() => undefined);
  }
}

class NzcAdapter implements ZkSession {
  readonly lib = 'nzc';
  private closed = false;
  constructor(private readonly s: NzcSession) {}

  async run(input: ZkInput): Promise<ZkOutput> {
    try {
      // NzcSession bounds each call itself (within its WAIT_MS).
      return await this.call(input);
    } catch (e) {
      return modeled(input, e instanceof zookeeper.Exception ? NZC_CODES.get(e.getCode()) : undefined, e);
    }
  }

  private async call(i: ZkInput): Promise<ZkOutput> {
    const s = this.s;
    switch (i.op) {
      case 'create': return s.create(i.path, Buffer.from(i.data)).then(() => ({ code: 'ok' }));
      case 'createSequential':
        return s.create(i.path, Buffer.from(i.data ?? ''), zookeeper.CreateMode.PERSISTENT_SEQUENTIAL).then((path) => ({ code: 'ok', path }));
      case 'delete': return s.remove(i.path, i.version).then(() => ({ code: 'ok' }));
      case 'setData': return s.setData(i.path, Buffer.from(i.data), i.version).then((st) => ({ code: 'ok', version: st.version }));
      case 'getData': return s.getData(i.path).then((r) => ({ code: 'ok', data: r.data?.toString() ?? '', version: r.stat.version }));
      case 'exists': return s.exists(i.path).then((st) => (st ? { code: 'ok', version: st.version } : { code: 'NoNode' }));
      case 'getChildren': return s.getChildren(i.path).then((r) => ({ code: 'ok', children: r.children }));
    }
  }

  sync(): Promise<void> {
    return Promise.reject(new Error('node-zookeeper-client has no sync'));
  }

  usable(): boolean {
    return !this.closed && this.s.client.getState().code !== zookeeper.State.EXPIRED.code;
  }

  async close(): Promise<void> {
    this.closed = true;
    await within(this.s.close(), CLOSE_MS, 'close').catch(() => this.s.client.close());
  }
}

/** A session of `lib` to the servers of `connectString`, within the libraries' connect bounds. */
export async function openSession(lib: Lib, connectString: string, sessionTimeout: number): Promise<ZkSession> {
  if (lib === 'nzc') return new NzcAdapter(await NzcSession.connect(connectString));
  const c = await CoordClient.connect(connectString, { sessionTimeout, connectTimeout: OP_MS });
  return new CoordSession(c);
}
