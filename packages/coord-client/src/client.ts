import { EventEmitter } from 'node:events';
import {
  AddWatchMode, Code, KeeperError, KeeperState, OpCode, codec, encodeMultiRequest, opSpec,
  type ACL, type ClientInfo, type JuteReader, type JuteWriter, type RecordName, type RecordType, type Stat,
} from '@paddock/coord-protocol';
import {
  checkAcl, checkAddWatchMode, checkPath, checkVersion, checkWatcher, checkWatcherType, createCall, toBytes,
} from './arguments.js';
import { Chroot } from './chroot.js';
import type { Call } from './call.js';
import { ClientCnxn } from './client-cnxn.js';
import { formatHost, parseConnectString } from './connect-string.js';
import { badArguments } from './errors.js';
import { resolveOptions, type CoordClientOptions } from './options.js';
import { isTerminal, type ClientState } from './states.js';
import {
  Transaction, prepareMulti, prepareMultiRead, readMultiReadReply, readMultiReply,
  type Op, type OpResult, type ReadOp, type ReadOpResult,
} from './transaction.js';
import type {
  AclResult, ChildrenResult, CreateOptions, CreateResult, Data, DataResult, Watcher,
} from './types.js';

/**
 * `state`: every change of the connection state. `closing`: close() was called, once, before
 * the session is ended on the server; from here on its ephemeral nodes, and anything held
 * through them (a lock, a leadership), may be gone at any moment.
 */
export type CoordClientEvents = { state: [state: ClientState]; closing: [] };

const EMPTY = Buffer.alloc(0);
/** ZooDefs.CONFIG_NODE. */
const CONFIG_NODE = '/zookeeper/config';

/** Reads an op's success body with the record the protocol's op table names. */
function read<N extends RecordName>(name: N, body: JuteReader | null): RecordType<N> {
  return codec(name).decode(body as JuteReader);
}

/** Writes an op's request body with the record the protocol's op table names. */
function writer(op: number, value: unknown): (w: JuteWriter) => void {
  const name = opSpec(op)?.request;
  if (!name) throw new Error(`op ${op} has no request record`);
  const c = codec(name) as { encode(w: JuteWriter, v: unknown): void };
  return (w) => c.encode(w, value);
}

function ok(err: number, path: string | undefined): void {
  if (err !== Code.OK) throw new KeeperError(err, path);
}

/**
 * A promise-based ZooKeeper client: one session, kept across connections to the hosts of the
 * connect string. Paths are relative to the connect string's chroot. Every failure is a
 * KeeperError with ZooKeeper's code and the path the caller passed.
 */
export class CoordClient extends EventEmitter<CoordClientEvents> {
  private readonly cnxn: ClientCnxn;
  private closeAnnounced = false;

  private constructor(private readonly paths: Chroot, cnxn: (c: CoordClient) => ClientCnxn) {
    super();
    this.cnxn = cnxn(this);
  }

  /** Connects and resolves once a session is established (and `authInfo` accepted). */
  static async connect(connectString: string, opts: CoordClientOptions = {}): Promise<CoordClient> {
    const parsed = parseConnectString(connectString);
    const resolved = resolveOptions(opts);
    const chroot = new Chroot(parsed.chroot);
    const client = new CoordClient(chroot, (c) => new ClientCnxn(parsed.hosts, chroot, resolved, (s) => c.emit('state', s)));
    await client.cnxn.start(parsed.hosts.map(formatHost).join(','));
    return client;
  }

  /** The connect string's chroot (the server sees every path below it), or null without one. */
  get chroot(): string | null {
    return this.paths.root;
  }

  get state(): ClientState {
    return this.cnxn.state;
  }

  get sessionId(): bigint {
    return this.cnxn.sessionId;
  }

  /** Pass with `sessionId` to `connect()` to resume this session from another client. */
  get sessionPassword(): Buffer {
    return Buffer.from(this.cnxn.sessionPassword);
  }

  /** The session timeout the server granted, in ms. */
  get sessionTimeout(): number {
    return this.cnxn.negotiatedTimeout;
  }

  private call<T>(op: number, path: string | undefined, body: unknown, settle: Call<T>['settle']): Promise<T> {
    return this.cnxn.submit({ op, path, write: body === undefined ? null : writer(op, body), settle });
  }

  async create(path: string, data?: Data | null, opts: CreateOptions = {}): Promise<string> {
    const c = createCall(this.paths, path, data, opts, false);
    return this.cnxn.submit({
      op: c.op, path, write: c.write,
      settle: (err, r) => {
        ok(err, path);
        return this.paths.toClient(read(c.op === OpCode.create ? 'CreateResponse' : 'Create2Response', r).path);
      },
    });
  }

  async create2(path: string, data?: Data | null, opts: CreateOptions = {}): Promise<CreateResult> {
    const c = createCall(this.paths, path, data, opts, true);
    return this.cnxn.submit({
      op: c.op, path, write: c.write,
      settle: (err, r) => {
        ok(err, path);
        const res = read('Create2Response', r);
        return { path: this.paths.toClient(res.path), stat: res.stat };
      },
    });
  }

  async delete(path: string, version = -1): Promise<void> {
    checkPath(path);
    const body = { path: this.paths.toServer(path), version: checkVersion(version, path) };
    return this.call(OpCode.delete, path, body, (err) => ok(err, path));
  }

  /** The node's Stat, or null when it does not exist; a watcher is set in both cases. */
  async exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    checkPath(path);
    checkWatcher(watcher, path);
    const body = { path: this.paths.toServer(path), watch: watcher !== undefined };
    return this.call(OpCode.exists, path, body, (err, r) => {
      if (err === Code.NoNode) {
        if (watcher) this.cnxn.watches.add('exist', path, watcher);
        return null;
      }
      ok(err, path);
      if (watcher) this.cnxn.watches.add('data', path, watcher);
      return read('ExistsResponse', r).stat;
    });
  }

  async getData(path: string, watcher?: Watcher): Promise<DataResult> {
    checkPath(path);
    checkWatcher(watcher, path);
    return this.readData(path, this.paths.toServer(path), watcher);
  }

  /**
   * ZooKeeper's getConfig: the ensemble's config text in /zookeeper/config (empty on a
   * standalone server), read at that path whatever the chroot, as ZooKeeper's client reads it.
   */
  async getConfig(watcher?: Watcher): Promise<DataResult> {
    checkWatcher(watcher, CONFIG_NODE);
    return this.readData(CONFIG_NODE, CONFIG_NODE, watcher);
  }

  private readData(path: string, serverPath: string, watcher: Watcher | undefined): Promise<DataResult> {
    const body = { path: serverPath, watch: watcher !== undefined };
    return this.call(OpCode.getData, path, body, (err, r) => {
      ok(err, path);
      if (watcher) this.cnxn.watches.add('data', path, watcher);
      const res = read('GetDataResponse', r);
      return { data: res.data ?? EMPTY, nullData: res.data === null, stat: res.stat };
    });
  }

  async setData(path: string, data: Data | null, version = -1): Promise<Stat> {
    checkPath(path);
    const body = { path: this.paths.toServer(path), data: toBytes(data, path), version: checkVersion(version, path) };
    return this.call(OpCode.setData, path, body, (err, r) => {
      ok(err, path);
      return read('SetDataResponse', r).stat;
    });
  }

  async getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return (await this.children(OpCode.getChildren, path, watcher)).children;
  }

  async getChildren2(path: string, watcher?: Watcher): Promise<ChildrenResult> {
    return this.children(OpCode.getChildren2, path, watcher) as Promise<ChildrenResult>;
  }

  private async children(op: number, path: string, watcher?: Watcher): Promise<{ children: string[]; stat?: Stat }> {
    checkPath(path);
    checkWatcher(watcher, path);
    const body = { path: this.paths.toServer(path), watch: watcher !== undefined };
    return this.call(op, path, body, (err, r) => {
      ok(err, path);
      if (watcher) this.cnxn.watches.add('child', path, watcher);
      return op === OpCode.getChildren ? read('GetChildrenResponse', r) : read('GetChildren2Response', r);
    });
  }

  async getACL(path: string): Promise<AclResult> {
    checkPath(path);
    return this.call(OpCode.getACL, path, { path: this.paths.toServer(path) }, (err, r) => {
      ok(err, path);
      return read('GetACLResponse', r);
    });
  }

  async setACL(path: string, acl: readonly ACL[], version = -1): Promise<Stat> {
    checkPath(path);
    const body = { path: this.paths.toServer(path), acl: checkAcl(acl, path), version: checkVersion(version, path) };
    return this.call(OpCode.setACL, path, body, (err, r) => {
      ok(err, path);
      return read('SetACLResponse', r).stat;
    });
  }

  /** Waits until the server this client talks to has caught up with the leader. */
  async sync(path: string): Promise<void> {
    checkPath(path);
    return this.call(OpCode.sync, path, { path: this.paths.toServer(path) }, (err) => ok(err, path));
  }

  /** A watch that stays after firing: on the node (PERSISTENT) or on it and all below (PERSISTENT_RECURSIVE). */
  async addWatch(path: string, mode: number, listener: Watcher): Promise<void> {
    checkPath(path);
    checkAddWatchMode(mode, path);
    if (typeof listener !== 'function') throw badArguments('addWatch needs a listener function', path);
    const kind = mode === AddWatchMode.PERSISTENT ? 'persistent' : 'persistentRecursive';
    return this.call(OpCode.addWatch, path, { path: this.paths.toServer(path), mode }, (err) => {
      ok(err, path);
      this.cnxn.watches.add(kind, path, listener);
    });
  }

  /**
   * Removes one listener (or all) of a WatcherType on a path, telling each removed watcher with
   * a *WatchRemoved event. With `local`, watchers are removed even when the server cannot be
   * asked or refuses (ZooKeeper's removeWatches/removeAllWatches).
   */
  async removeWatches(path: string, watcherType: number, listener?: Watcher, local = false): Promise<void> {
    checkPath(path);
    checkWatcherType(watcherType, path);
    checkWatcher(listener, path);
    // One listener: only ask whether the server holds the watch, which other listeners may share.
    const op = listener ? OpCode.checkWatches : OpCode.removeWatches;
    const body = { path: this.paths.toServer(path), type: watcherType };
    return this.call(op, path, body, (err) => this.unregister(path, watcherType, listener, local, err));
  }

  private unregister(path: string, watcherType: number, listener: Watcher | undefined, local: boolean, err: number): void {
    const watches = this.cnxn.watches;
    if (!watches.contains(path, watcherType, listener)) throw new KeeperError(Code.NoWatcher, path);
    if (err !== Code.OK && !local) throw new KeeperError(err, path);
    const removed = watches.remove(path, watcherType, listener);
    if (!removed) throw new KeeperError(Code.NoWatcher, path);
    const lost = err === Code.ConnectionLoss || err === Code.SessionExpired;
    const state = lost ? KeeperState.Disconnected : KeeperState.SyncConnected;
    for (const [type, set] of removed) this.cnxn.deliver({ type, state, path }, set);
  }

  /** Resolves when the server holds a watch of this type on the path for this session; NoWatcher otherwise. */
  async checkWatches(path: string, watcherType: number): Promise<void> {
    checkPath(path);
    checkWatcherType(watcherType, path);
    const body = { path: this.paths.toServer(path), type: watcherType };
    return this.call(OpCode.checkWatches, path, body, (err) => ok(err, path));
  }

  /** This session's ephemeral nodes whose path starts with `prefix` (all when omitted). */
  async getEphemerals(prefix = '/'): Promise<string[]> {
    checkPath(prefix);
    return this.call(OpCode.getEphemerals, prefix, { prefixPath: this.paths.toServer(prefix) }, (err, r) => {
      ok(err, prefix);
      const paths = read('GetEphemeralsResponse', r).ephemerals;
      return paths.filter((p) => this.paths.contains(p)).map((p) => this.paths.toClient(p));
    });
  }

  /** Number of nodes below the path, at any depth. */
  async getAllChildrenNumber(path: string): Promise<number> {
    checkPath(path);
    return this.call(OpCode.getAllChildrenNumber, path, { path: this.paths.toServer(path) }, (err, r) => {
      ok(err, path);
      return read('GetAllChildrenNumberResponse', r).totalNumber;
    });
  }

  /** The identities the server has for this session (one per accepted auth, plus ip). */
  async whoAmI(): Promise<ClientInfo[]> {
    return this.call(OpCode.whoAmI, undefined, undefined, (err, r) => {
      ok(err, undefined);
      return read('WhoAmIResponse', r).clientInfo;
    });
  }

  /** Adds credentials to the session; they are re-sent on every reconnect. */
  async addAuth(scheme: string, auth: Data): Promise<void> {
    if (typeof scheme !== 'string' || scheme === '') throw badArguments('addAuth needs a scheme, e.g. "digest"');
    return this.cnxn.addAuth(scheme, Buffer.from(toBytes(auth, '') ?? EMPTY));
  }

  /** Applies all ops or none. On failure rejects with a MultiError carrying every op's result. */
  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    const prepared = prepareMulti(ops, this.paths);
    return this.cnxn.submit({
      op: OpCode.multi, write: (w) => encodeMultiRequest(w, prepared),
      settle: (err, r) => readMultiReply(err, r, ops, this.paths),
    });
  }

  transaction(): Transaction {
    return new Transaction((ops) => this.multi(ops));
  }

  /** Several reads in one round trip; each op's failure is returned as its result. */
  async multiRead(ops: readonly ReadOp[]): Promise<ReadOpResult[]> {
    const prepared = prepareMultiRead(ops, this.paths);
    return this.cnxn.submit({
      op: OpCode.multiRead, write: (w) => encodeMultiRequest(w, prepared),
      settle: (err, r) => readMultiReadReply(err, r),
    });
  }

  /** Ends the session; ephemerals go at once. Later calls fail with SessionExpired, as in ZooKeeper. */
  async close(): Promise<void> {
    if (!this.closeAnnounced && !isTerminal(this.state)) {
      this.closeAnnounced = true;
      // Before closeSession leaves: a leader must not hear of its successor before it stops leading.
      // What a listener throws is logged; the session is closed all the same.
      this.cnxn.notifyNow(() => this.emit('closing'));
    }
    await this.cnxn.close();
  }

  /** Drops the current connection without ending the session, as a network fault would (for tests). */
  dropConnection(): void {
    this.cnxn.dropConnection();
  }
}
