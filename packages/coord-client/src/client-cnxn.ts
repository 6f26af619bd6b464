import {
  Code, EventType, JuteReader, JuteWriter, KeeperError, OpCode, Xid, codec, type EventTypeValue,
  type KeeperStateValue,
} from '@paddock/coord-protocol';
import { AuthStore, type AuthEntry, type Waiter } from './auth-store.js';
import { PendingCall, asKeeperError, type Call } from './call.js';
import type { Chroot } from './chroot.js';
import { formatHost, type HostPort } from './connect-string.js';
import { Connection, type Hello, type Welcome } from './connection.js';
import { badArguments, keeperError } from './errors.js';
import { EventDispatcher } from './event-dispatcher.js';
import { HostProvider } from './host-provider.js';
import { hexId } from './hex-id.js';
import type { ResolvedOptions } from './options.js';
import { RequestEncoder } from './request-encoder.js';
import { RequestQueue, type Request } from './request-queue.js';
import { findReadWriteServer } from './rw-probe.js';
import { setWatchesPackets, type SetWatchesPacket } from './set-watches.js';
import { STATES, isTerminal, type ClientState } from './states.js';
import type { WatchedEvent, Watcher } from './types.js';
import { WatchManager } from './watch-manager.js';

/** ZooKeeper's client pings at least every 10 s, however long the session. */
const MAX_PING_INTERVAL_MS = 10_000;
/** Below this an attempt cannot even finish a loopback handshake under load. */
const MIN_ATTEMPT_MS = 100;

const replyHeader = codec('ReplyHeader');
const watcherEvent = codec('WatcherEvent');
const authPacket = codec('AuthPacket');
const setWatchesCodecs = { [OpCode.setWatches]: codec('SetWatches'), [OpCode.setWatches2]: codec('SetWatches2') };

/**
 * The session as it survives connections (ZooKeeper's ClientCnxn): finds a server, opens or
 * resumes the session, primes each new connection (auth, SetWatches, held requests), matches
 * replies to requests in order, routes notifications to watchers, and turns losses into
 * ConnectionLoss and a refused session into SessionExpired.
 */
export class ClientCnxn {
  state: ClientState = 'disconnected';
  sessionId: bigint;
  sessionPassword: Buffer;
  negotiatedTimeout = 0;
  /** Highest zxid seen in a reply; sent on reconnect so the server never goes back in time. */
  lastZxid = 0;
  readonly watches = new WatchManager();
  private readonly queue: RequestQueue;
  private readonly hosts: HostProvider;
  private readonly dispatcher: EventDispatcher;
  private readonly encoder = new RequestEncoder();
  private conn: Connection | null = null;
  private opening: AbortController | null = null;
  private wake: (() => void) | null = null;
  private closing: Promise<void> | null = null;
  private firstSession: Waiter | null = null;
  private readonly auth = new AuthStore();
  /** A read-only server's session is local to it; resume ids only with read-write servers. */
  private seenRwServer: boolean;
  private lastError = '';

  constructor(
    hostList: readonly HostPort[],
    private readonly chroot: Chroot,
    private readonly opts: ResolvedOptions,
    private readonly onState: (state: ClientState) => void,
  ) {
    this.queue = new RequestQueue(opts.maxQueuedRequests);
    this.hosts = new HostProvider(hostList, { baseDelayMs: opts.baseDelayMs, maxDelayMs: opts.maxDelayMs }, opts.random);
    this.dispatcher = new EventDispatcher(opts.logger);
    this.sessionId = opts.sessionId;
    this.sessionPassword = opts.sessionPassword;
    this.seenRwServer = opts.sessionId !== 0n;
  }

  /** Resolves once the first session is up and the initial credentials are accepted. */
  start(hostNames: string): Promise<void> {
    const session = new Promise<void>((resolve, reject) => { this.firstSession = { resolve, reject }; });
    const auths = this.opts.authInfo.map((a) => this.addAuth(a.scheme, Buffer.from(a.auth)));
    const { clock, connectTimeout } = this.opts;
    const timer = clock.setTimeout(() => this.terminate('closed', keeperError(Code.ConnectionLoss, undefined,
      `no session with ${hostNames} within ${connectTimeout} ms${this.lastError ? ` (last error: ${this.lastError})` : ''}`)),
    connectTimeout);
    this.run().catch((err: unknown) => {
      this.opts.logger.error({ err }, 'connection loop failed');
      this.terminate('closed', asKeeperError(err, undefined));
    });
    return Promise.all([session, ...auths]).then(
      () => { clock.clearTimeout(timer); },
      (err: unknown) => { clock.clearTimeout(timer); throw err; },
    );
  }

  submit<T>(call: Call<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const failCode = this.failCode();
      if (failCode === null && this.queue.full) {
        reject(keeperError(Code.Throttled, call.path,
          `client request queue is full (${this.queue.limit} requests queued or awaiting replies)`));
        return;
      }
      if (failCode !== null) {
        new PendingCall(0, call.op, Buffer.alloc(0), call, resolve, reject).finish(failCode, null);
        return;
      }
      const xid = this.encoder.nextXid();
      let frame: Buffer;
      try {
        frame = this.encoder.encode(xid, call.op, call.write);
      } catch (err) {
        reject(badArguments(`cannot encode the request: ${err instanceof Error ? err.message : String(err)}`, call.path));
        return;
      }
      const req = new PendingCall(xid, call.op, frame, call, resolve, reject);
      if (frame.length - 4 > this.opts.maxFrameBytes) {
        reject(badArguments(`request of ${frame.length - 4} bytes exceeds maxFrameBytes ${this.opts.maxFrameBytes}`, call.path));
      } else if (this.conn) {
        this.conn.send(frame);
        this.queue.sent(req);
      } else {
        this.queue.hold(req);
      }
    });
  }

  /** Sends credentials now (or on connect) and remembers them for every reconnect. */
  addAuth(scheme: string, auth: Buffer): Promise<void> {
    const failCode = this.failCode();
    if (failCode !== null) return Promise.reject(new KeeperError(failCode));
    const added = this.auth.add(scheme, auth);
    if ('error' in added) return Promise.reject(added.error);
    if (this.conn) this.sendAuth(this.conn, added.entry);
    return added.accepted;
  }

  /** Queues watcher calls behind events already received. */
  deliver(event: WatchedEvent, watchers: Iterable<Watcher>): void {
    this.dispatcher.deliver(event, watchers);
  }

  /** Runs a listener now (not queued behind events), logging what it throws. */
  notifyNow(listener: () => void): void {
    this.dispatcher.runNow(listener);
  }

  /** Ends the session on the server (closeSession), then fails whatever is left. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    if (isTerminal(this.state)) return Promise.resolve();
    this.closing = this.closeSession().finally(() => this.terminate('closed'));
    return this.closing;
  }

  /** Drops the current connection as if the network failed (tests, and callers that know better). */
  dropConnection(reason = 'dropped by client'): void {
    this.conn?.close(new Error(reason));
  }

  /** The code a call made now fails with at once, or null when it can be sent or held. */
  private failCode(): number | null {
    return STATES[this.state].failCode ?? (this.closing ? Code.ConnectionLoss : null);
  }

  private get stopped(): boolean {
    return this.closing !== null || isTerminal(this.state);
  }

  private timeoutMs(): number {
    return this.negotiatedTimeout > 0 ? this.negotiatedTimeout : this.opts.sessionTimeout;
  }

  private async run(): Promise<void> {
    let afterLoss = false;
    while (!this.stopped) {
      if (this.hosts.attempts >= this.opts.maxAttempts) {
        this.terminate('closed', keeperError(Code.ConnectionLoss, undefined,
          `gave up after ${this.hosts.attempts} connection attempts (last error: ${this.lastError})`));
        return;
      }
      // Backoff stays well inside the session timeout so a reconnect can still save the session.
      const { host, delayMs } = this.hosts.next(afterLoss, Math.floor(this.timeoutMs() / 3));
      afterLoss = false;
      if (delayMs > 0) await this.sleep(delayMs);
      if (this.stopped) return;
      const conn = await this.establish(host);
      if (!conn) continue;
      afterLoss = true;
      await conn.closed;
    }
  }

  private async establish(target: HostPort): Promise<Connection | null> {
    const abort = new AbortController();
    this.opening = abort;
    let opened: { connection: Connection; welcome: Welcome };
    try {
      const timeoutMs = Math.max(MIN_ATTEMPT_MS, Math.floor(this.timeoutMs() / this.hosts.count));
      opened = await Connection.open(
        { target, timeoutMs, maxFrameBytes: this.opts.maxFrameBytes, clock: this.opts.clock, signal: abort.signal },
        this.hello(),
      );
    } catch (err) {
      this.lastError = `${formatHost(target)}: ${err instanceof Error ? err.message : String(err)}`;
      this.opts.logger.debug({ server: formatHost(target), err }, 'connection attempt failed');
      // As ZooKeeper's client: every failed attempt fails what waited for a connection.
      this.failRequests(STATES[this.state].failCode ?? Code.ConnectionLoss);
      return null;
    } finally {
      this.opening = null;
    }
    const { connection, welcome } = opened;
    if (this.stopped) {
      connection.close();
      return null;
    }
    if (welcome.timeOut <= 0) {
      connection.close();
      this.opts.logger.warn({ sessionId: hexId(this.sessionId) }, 'session expired: server refused to resume it');
      this.terminate('expired');
      return null;
    }
    this.onSessionEstablished(connection, welcome);
    return connection;
  }

  private hello(): Hello {
    const resume = this.seenRwServer;
    return {
      protocolVersion: 0,
      lastZxidSeen: this.lastZxid,
      timeOut: this.opts.sessionTimeout,
      sessionId: resume ? this.sessionId : 0n,
      passwd: resume ? this.sessionPassword : Buffer.alloc(16),
      readOnly: this.opts.canBeReadOnly,
    };
  }

  private onSessionEstablished(conn: Connection, welcome: Welcome): void {
    this.negotiatedTimeout = welcome.timeOut;
    this.sessionId = welcome.sessionId;
    this.sessionPassword = welcome.passwd;
    if (!welcome.readOnly) this.seenRwServer = true;
    this.hosts.onConnected();
    this.conn = conn;
    const readTimeoutMs = Math.floor((welcome.timeOut * 2) / 3);
    conn.start(
      { onFrame: (frame) => this.onFrame(conn, frame), onClose: (reason) => this.onLost(conn, reason) },
      { readTimeoutMs, pingIntervalMs: Math.min(Math.floor(readTimeoutMs / 2), MAX_PING_INTERVAL_MS) },
    );
    if (conn.isClosed) return;
    this.prime(conn);
    this.opts.logger.info(
      { sessionId: hexId(welcome.sessionId), timeout: welcome.timeOut, server: conn.name, readOnly: welcome.readOnly },
      'session established');
    this.setState(welcome.readOnly ? 'connectedReadOnly' : 'connected');
    if (welcome.readOnly && this.hosts.count > 1) this.seekReadWrite(conn);
  }

  /** While read-only, moves to the first other host that serves writes (ZooKeeper's pingRwServer). */
  private seekReadWrite(conn: Connection): void {
    const current = (): boolean => this.conn === conn && !this.stopped;
    void findReadWriteServer(() => this.hosts.others(), this.opts.clock, current, conn.closed).then((host) => {
      if (!host || !current()) return;
      this.hosts.preferNext(host);
      conn.close(new Error(`read-write server found at ${formatHost(host)}`));
    });
  }

  /** Credentials first, then watches, then requests made while disconnected, as ZooKeeper orders them. */
  private prime(conn: Connection): void {
    for (const entry of this.auth.all()) this.sendAuth(conn, entry);
    const w = this.watches;
    const server = (paths: string[]): string[] => paths.map((p) => this.chroot.toServer(p));
    const packets = setWatchesPackets(this.lastZxid, {
      data: server(w.paths('data')), exist: server(w.paths('exist')), child: server(w.paths('child')),
      persistent: server(w.paths('persistent')), persistentRecursive: server(w.paths('persistentRecursive')),
    });
    for (const packet of packets) this.sendSetWatches(conn, packet);
    for (const req of this.queue.takeUnsent()) {
      conn.send(req.frame);
      this.queue.sent(req, true);
    }
  }

  private sendSetWatches(conn: Connection, packet: SetWatchesPacket): void {
    const c = setWatchesCodecs[packet.op] as { encode(w: JuteWriter, v: SetWatchesPacket['record']): void };
    const frame = this.encoder.encode(Xid.setWatches, packet.op, (w) => c.encode(w, packet.record));
    const logger = this.opts.logger;
    conn.send(frame);
    this.queue.sent({
      xid: Xid.setWatches, op: packet.op, frame, counted: false,
      finish: (err) => { if (err !== Code.OK) logger.warn({ err }, 'server refused SetWatches'); },
    });
  }

  private sendAuth(conn: Connection, entry: AuthEntry): void {
    const body = { type: 0, scheme: entry.scheme, auth: entry.auth };
    conn.send(this.encoder.encode(Xid.auth, OpCode.auth, (w) => authPacket.encode(w, body)));
    this.auth.sent(entry);
  }

  private onFrame(conn: Connection, frame: Buffer): void {
    const r = new JuteReader(frame);
    let header;
    try {
      header = replyHeader.decode(r);
    } catch (err) {
      conn.close(err as Error);
      return;
    }
    if (header.xid === Xid.ping) return;
    if (header.xid === Xid.notification) {
      this.onNotification(conn, r);
      return;
    }
    // Auth is answered as soon as it is read, ahead of earlier requests, so it has its own queue.
    if (header.xid === Xid.auth) {
      this.onAuthReply(header.err);
      return;
    }
    let req: Request;
    try {
      req = this.queue.match(header.xid);
    } catch (err) {
      conn.close(err as Error);
      return;
    }
    if (header.zxid > 0) this.lastZxid = header.zxid;
    req.finish(header.err, r);
  }

  private onNotification(conn: Connection, r: JuteReader): void {
    let ev;
    try {
      ev = watcherEvent.decode(r);
    } catch (err) {
      conn.close(err as Error);
      return;
    }
    const path = this.chroot.toClient(ev.path);
    const event: WatchedEvent = { type: ev.type as EventTypeValue, state: ev.state as KeeperStateValue, path };
    this.dispatcher.deliver(event, this.watches.materialize(ev.type, path));
  }

  private onAuthReply(err: number): void {
    if (err === Code.AuthFailed) {
      this.opts.logger.warn({}, 'authentication failed');
      this.terminate('authFailed');
      return;
    }
    this.auth.answered(err);
  }

  private onLost(conn: Connection, reason: Error): void {
    if (this.conn !== conn) return;
    this.conn = null;
    this.auth.connectionLost();
    this.lastError = reason.message;
    this.opts.logger.info({ sessionId: hexId(this.sessionId), reason: reason.message }, 'connection lost');
    this.failRequests(Code.ConnectionLoss);
    if (!this.stopped) this.setState('disconnected');
  }

  private failRequests(code: number): void {
    for (const req of this.queue.drain()) req.finish(code, null);
  }

  private setState(next: ClientState): void {
    if (this.state === next) return;
    this.state = next;
    this.dispatcher.run(() => this.onState(next));
    this.dispatcher.deliver({ type: EventType.None, state: STATES[next].keeperState, path: null }, this.watches.all());
    if (STATES[next].connected && this.firstSession) {
      this.firstSession.resolve();
      this.firstSession = null;
    }
  }

  /** Enters a state the client never leaves: expired, authFailed or closed. */
  private terminate(next: 'expired' | 'authFailed' | 'closed', firstError?: KeeperError): void {
    if (isTerminal(this.state)) return;
    const code = STATES[next].failCode ?? Code.SessionExpired;
    this.setState(next);
    // First, so connect() reports why the first session failed rather than a waiter's code.
    this.firstSession?.reject(firstError ?? new KeeperError(code));
    this.firstSession = null;
    this.watches.clear();
    const conn = this.conn;
    this.conn = null;
    conn?.close(new Error(`session ${next}`));
    this.opening?.abort();
    this.wake?.();
    this.failRequests(code);
    this.auth.failAll(code);
  }

  private closeSession(): Promise<void> {
    const conn = this.conn;
    if (!conn) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const { clock } = this.opts;
      // Bounded: a server that keeps answering pings but never this must not hang close().
      const timer = clock.setTimeout(resolve, Math.floor((this.timeoutMs() * 2) / 3));
      const xid = this.encoder.nextXid();
      const frame = this.encoder.encode(xid, OpCode.closeSession, null);
      conn.send(frame);
      this.queue.sent({ xid, op: OpCode.closeSession, frame, counted: false, finish: () => { clock.clearTimeout(timer); resolve(); } });
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => { this.wake = null; resolve(); };
      const timer = this.opts.clock.setTimeout(done, ms);
      this.wake = () => { this.opts.clock.clearTimeout(timer); done(); };
    });
  }
}
