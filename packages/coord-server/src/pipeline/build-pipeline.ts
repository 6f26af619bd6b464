import {
  type ConnectRequest, Code, JuteError, JuteReader, KeeperError, KeeperState, OpCode, Xid, codec,
} from '@paddock/coord-protocol';
import { authProvider } from '../acl/auth-providers.js';
import { RequestStats } from './request-stats.js';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { TxnLog } from '../persistence/txn-log.js';
import { type Session, SessionTracker } from '../session/session-tracker.js';
import { DataTree } from '../tree/data-tree.js';
import type { RecoveredState } from '../persistence/recovery.js';
import { ttlOf } from '../tree/ephemeral-type.js';
import { type WatchSink, WatchManager } from '../watch/watch-manager.js';
import { type ApplyResult, applyTxn } from '../txn/apply.js';
import type { ClientConn } from './client-conn.js';
import { OP_TABLE, type ReadOp, type WriteOp } from './op-table.js';
import { PrepView } from './prep-view.js';
import { prepCloseSession, prepDeleteContainer } from './prep.js';
import type { MultiReadAnswer, ReadContext } from './reads.js';
import { ReplyEncoder } from './reply.js';
import type { TxnBody } from '../txn/txn.js';

export interface PipelineOptions {
  readonly tickTime: number;
  readonly minSessionTimeout: number;
  readonly maxSessionTimeout: number;
  readonly serverId: number;
  readonly extendedTypes: boolean;
  /** The super user's digest id; an addAuth matching it also grants `super` (skips ACLs). */
  readonly superDigest?: string;
  readonly clock: Clock;
  readonly log: TxnLog;
  readonly logger: Logger;
}

const authPacket = codec('AuthPacket');
const saslRequest = codec('GetSASLRequest');
/** Replies held for durability per connection before we stop reading its requests. */
const MAX_HELD_PER_CONNECTION = 10_000;
/** Containers and TTL nodes deleted per check at most (ZooKeeper's maxPerMinute spirit). */
const MAX_REAPED_PER_CHECK = 10_000;

/** A frame (or a close, frame null) waiting behind the gate for txn `zxid` to be durable. */
interface Held {
  conn: ClientConn;
  frame: Buffer | null;
  zxid: number;
  reason: string;
  /** Arrival time of the request this reply answers; -1 for events and closes. */
  since: number;
}

/**
 * The request path of the server, stage by stage:
 *
 *   decode → session check → prep (validate, compute txn or error) → log → apply → reply
 *
 * Reads skip prep and log. Everything runs to completion in order on one event loop turn, so
 * per-session order and "a client sees the event before the new data" hold by construction.
 */
export class Pipeline implements WatchSink<ClientConn> {
  readonly tree: DataTree;
  /** Fired watches come back to this pipeline (watchEvent), which sends them like replies. */
  readonly dataWatches = new WatchManager<ClientConn>(this);
  readonly childWatches = new WatchManager<ClientConn>(this);
  readonly sessions: SessionTracker;
  readonly encoder = new ReplyEncoder();
  private lastZxid: number;
  readonly counters = { received: 0, sent: 0, writes: 0, reads: 0 };
  /** Latency, outstanding replies and reply sizes for the four-letter words and the admin API. */
  readonly stats = new RequestStats();
  /** Frames (or closes, frame null) waiting for the txns before them to be durable, in order. */
  private readonly held: Held[] = [];
  private heldHead = 0;

  constructor(private readonly opts: PipelineOptions, recovered?: RecoveredState) {
    this.tree = recovered?.tree ?? new DataTree();
    this.sessions = recovered?.sessions ?? new SessionTracker(opts.tickTime, opts.clock, opts.serverId);
    this.lastZxid = recovered?.lastZxid ?? 0;
    opts.log.onDurable = (zxid) => this.release(zxid);
  }

  /**
   * The reply stage's gate: a frame leaves at once when every txn so far is durable, else it
   * waits behind them, so no client ever sees a change (reply or event) that a crash could undo.
   */
  deliver(conn: ClientConn, frame: Buffer | null, reason = ''): void {
    if (this.heldHead === this.held.length && this.opts.log.durableZxid >= this.lastZxid) {
      if (frame) {
        this.stats.frameSent(frame.length - 4);
        if (conn.send(frame)) this.counters.sent++;
      } else {
        conn.close(reason);
      }
      return;
    }
    this.held.push({ conn, frame, zxid: this.lastZxid, reason, since: -1 });
    if (++conn.held === MAX_HELD_PER_CONNECTION) conn.pauseInput(true);
  }

  /** A triggered watch: the event goes through the durability gate like a reply. */
  watchEvent(conn: ClientConn, type: number, path: string): void {
    this.deliver(conn, this.encoder.event(type, KeeperState.SyncConnected, path));
  }

  private release(durable: number): void {
    const held = this.held;
    let i = this.heldHead;
    let now = -1;
    while (i < held.length && held[i]!.zxid <= durable) {
      const h = held[i]!;
      held[i++] = undefined as never;
      if (h.since >= 0) {
        if (now < 0) now = this.opts.clock.monotonic();
        this.stats.released(h.conn, h.since, now);
      }
      if (h.frame) {
        this.stats.frameSent(h.frame.length - 4);
        if (h.conn.send(h.frame)) this.counters.sent++;
      } else {
        h.conn.close(h.reason);
      }
      if (--h.conn.held === MAX_HELD_PER_CONNECTION >> 1) h.conn.pauseInput(false);
    }
    if (i === held.length) {
      held.length = 0;
      this.heldHead = 0;
    } else if (i > 1024 && i * 2 > held.length) {
      // Under steady load the queue may never drain completely: drop the released prefix
      // now and then (amortized O(1)) so the array does not grow for as long as the load lasts.
      held.splice(0, i);
      this.heldHead = 0;
    } else {
      this.heldHead = i;
    }
  }

  /** Replies and events waiting for the disk, and the slots the queue holds (for tests). */
  get heldQueue(): { readonly waiting: number; readonly slots: number } {
    return { waiting: this.held.length - this.heldHead, slots: this.held.length };
  }

  get zxid(): number {
    return this.tree.lastProcessedZxid;
  }

  /** log → apply: the stages every txn passes, whoever asked for it. */
  private commit(sessionId: bigint, body: TxnBody): { zxid: number; result: ApplyResult } {
    const txn = { zxid: ++this.lastZxid, time: this.opts.clock.now(), sessionId, body };
    this.opts.log.append(txn);
    return { zxid: txn.zxid, result: applyTxn(this, txn) };
  }

  private errorCode(e: unknown, op: number): number {
    if (e instanceof KeeperError) return e.code;
    if (e instanceof JuteError || e instanceof RangeError) return Code.MarshallingError;
    this.opts.logger.error({ err: e, op }, 'request failed unexpectedly');
    return Code.SystemError;
  }

  connect(conn: ClientConn, req: ConnectRequest, readOnlyFlag: boolean | undefined): void {
    const { minSessionTimeout: min, maxSessionTimeout: max } = this.opts;
    if (req.lastZxidSeen > this.zxid) {
      this.opts.logger.info({ seen: req.lastZxidSeen, ours: this.zxid }, 'refusing client that has seen a newer zxid');
      this.deliver(conn, null, 'client has seen a newer zxid');
      return;
    }
    const timeout = Math.min(Math.max(req.timeOut, min), max);
    const flag = readOnlyFlag === undefined ? undefined : false;
    if (req.sessionId === 0n) {
      const id = this.sessions.newSessionId();
      const passwd = SessionTracker.newPassword();
      this.commit(id, { kind: 'createSession', timeout, passwd });
      this.attach(conn, this.sessions.get(id)!);
      this.deliver(conn, this.encoder.connect({ protocolVersion: 0, timeOut: timeout, sessionId: id, passwd }, flag));
      return;
    }
    const s = this.sessions.get(req.sessionId);
    // ZooKeeper closes the session's current connection before it checks the password, so
    // even a refused attempt (wrong or null password) costs the owner its connection.
    if (s?.owner && s.owner !== conn) s.owner.close('session reconnected on another connection');
    if (!s || s.closing || !req.passwd || !s.passwd.equals(req.passwd)) {
      this.deliver(conn, this.encoder.connect({ protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: Buffer.alloc(16) }, flag));
      this.deliver(conn, null, 'invalid or expired session');
      return;
    }
    this.sessions.touch(s, timeout);
    this.attach(conn, s);
    this.deliver(conn, this.encoder.connect({ protocolVersion: 0, timeOut: timeout, sessionId: s.id, passwd: s.passwd }, flag));
  }

  private attach(conn: ClientConn, s: Session): void {
    conn.session = s;
    s.owner = conn;
    this.stats.opened(conn, this.opts.clock.now());
  }

  /** One request frame (after the RequestHeader) from an established connection. */
  request(conn: ClientConn, xid: number, op: number, r: JuteReader): void {
    const s = conn.session;
    if (!s || s.closing) return;
    const arrival = this.opts.clock.monotonic();
    const heldBefore = this.held.length;
    this.dispatch(conn, s, xid, op, r);
    // Latency runs until the reply leaves the gate: now, or in release() once its txn is durable.
    const reply = this.heldReplyTo(conn, heldBefore);
    if (reply) reply.since = arrival;
    this.stats.handled(conn, xid, op, this.zxid, arrival, reply ? -1 : this.opts.clock.monotonic());
  }

  /** The reply a request just queued behind the gate: its connection's last held frame since `from`. */
  private heldReplyTo(conn: ClientConn, from: number): Held | undefined {
    for (let i = this.held.length - 1; i >= from; i--) {
      const h = this.held[i]!;
      if (h.conn === conn && h.frame) return h;
    }
    return undefined;
  }

  private dispatch(conn: ClientConn, s: Session, xid: number, op: number, r: JuteReader): void {
    this.counters.received++;
    this.sessions.touch(s);
    const h = OP_TABLE.get(op);
    if (!h) {
      // As ZooKeeper: Unimplemented with zxid -1, then the connection is closed.
      this.deliver(conn, this.encoder.reply(xid, -1, Code.Unimplemented));
      this.deliver(conn, null, `unknown op ${op}`);
    } else if (h.kind === 'write') {
      this.write(conn, s, xid, op, h, r);
    } else if (h.kind === 'read') {
      this.read(conn, s, xid, op, h, r);
    } else if (h.name === 'ping') {
      this.deliver(conn, this.encoder.reply(Xid.ping, this.zxid, Code.OK));
    } else if (h.name === 'auth') {
      this.auth(conn, xid, r);
    } else if (h.name === 'sasl') {
      this.sasl(conn, xid, r);
    } else {
      this.closeSession(s);
      this.deliver(conn, this.encoder.reply(xid, this.zxid, Code.OK));
      this.deliver(conn, null, 'closeSession');
    }
  }

  private write(conn: ClientConn, s: Session, xid: number, op: number, h: WriteOp, r: JuteReader): void {
    this.counters.writes++;
    const ctx = { view: new PrepView(this.tree), sessionId: s.id, authInfo: conn.authInfo, extendedTypes: this.opts.extendedTypes };
    let body: TxnBody;
    try {
      const req = h.decode(r);
      if (h.failsBeforeZxid?.(req)) {
        this.deliver(conn, this.encoder.multi(xid, this.zxid, [], Code.MarshallingError));
        return;
      }
      body = h.prep(req, ctx);
    } catch (e) {
      body = { kind: 'error', err: this.errorCode(e, op) };
    }
    const { zxid, result } = this.commit(s.id, body);
    if (h.silentOnSuccess && result.err === Code.OK && result.type !== OpCode.error) return;
    this.deliver(conn, this.encoder.write(xid, zxid, result));
  }

  private read(conn: ClientConn, s: Session, xid: number, op: number, h: ReadOp, r: JuteReader): void {
    this.counters.reads++;
    const ctx: ReadContext = {
      tree: this.tree, dataWatches: this.dataWatches, childWatches: this.childWatches, watcher: conn,
      sessionId: s.id, authInfo: conn.authInfo,
    };
    let req: unknown;
    try {
      req = h.decode(r);
    } catch (e) {
      this.deliver(conn, this.encoder.reply(xid, this.zxid, this.errorCode(e, op)));
      return;
    }
    try {
      const resp = h.run(ctx, req);
      if (h.response === 'multi') {
        const { results, err } = resp as MultiReadAnswer;
        this.deliver(conn, this.encoder.multi(xid, this.zxid, results, err));
      } else {
        this.deliver(conn, this.encoder.reply(xid, this.zxid, Code.OK, h.response, resp));
      }
    } catch (e) {
      const err = this.errorCode(e, op);
      // A multiRead that decoded but failed still carries its (empty) result list.
      this.deliver(conn, h.response === 'multi' ? this.encoder.multi(xid, this.zxid, [], err) : this.encoder.reply(xid, this.zxid, err));
    }
  }

  /** addAuth: unknown schemes fail the connection, as ZooKeeper does. */
  private auth(conn: ClientConn, xid: number, r: JuteReader): void {
    let pkt;
    try {
      pkt = authPacket.decodeWire(r);
    } catch {
      this.deliver(conn, null, 'malformed auth packet');
      return;
    }
    const provider = authProvider(pkt.scheme);
    const id = provider?.authenticate(pkt.auth, conn.remoteAddress);
    if (!id) {
      this.stats.authFailed++;
      this.deliver(conn, this.encoder.reply(xid, 0, Code.AuthFailed));
      this.deliver(conn, null, `authentication failed for scheme ${pkt.scheme}`);
      return;
    }
    const granted = [id];
    if (id.scheme === 'digest' && this.opts.superDigest && id.id === this.opts.superDigest) granted.push({ scheme: 'super', id: '' });
    for (const g of granted) {
      if (!conn.authInfo.some((a) => a.scheme === g.scheme && a.id === g.id)) conn.authInfo.push(g);
    }
    this.deliver(conn, this.encoder.reply(xid, 0, Code.OK));
  }

  /**
   * SASL is not set up: a token gets ZooKeeper's empty answer. A body that is no token, or a
   * null one, makes ZooKeeper fail outside its request processors, and it hangs up unanswered.
   */
  private sasl(conn: ClientConn, xid: number, r: JuteReader): void {
    let token: Buffer | null = null;
    try {
      token = saslRequest.decodeWire(r).token;
    } catch {
      // Same answer as a null token.
    }
    if (token === null) this.deliver(conn, null, 'malformed sasl request');
    else this.deliver(conn, this.encoder.nullToken(xid));
  }

  /** Ends a session: its ephemerals go in one closeSession txn. */
  closeSession(s: Session): void {
    s.closing = true;
    const ctx = { view: new PrepView(this.tree), sessionId: s.id, authInfo: [], extendedTypes: this.opts.extendedTypes };
    this.commit(s.id, prepCloseSession(this.tree.ephemeralsOf(s.id), ctx));
  }

  /** A connection went away: its watches go with it; its session lives on until expiry. */
  connectionClosed(conn: ClientConn): void {
    this.stats.closed(conn);
    this.dataWatches.removeWatcher(conn);
    this.childWatches.removeWatcher(conn);
    if (conn.session?.owner === conn) conn.session.owner = null;
  }

  /** Called every tick: expired sessions are closed through the pipeline like any other. */
  expireSessions(): void {
    for (const s of this.sessions.takeExpired()) {
      this.opts.logger.info({ sessionId: `0x${BigInt.asUintN(64, s.id).toString(16)}` }, 'session expired');
      this.closeSession(s);
      // Every session owner is a connection the pipeline attached (see attach()).
      if (s.owner) this.deliver(s.owner as ClientConn, null, 'session expired');
    }
  }

  /** Deletes empty containers that once had children, and TTL nodes idle past their TTL. */
  reapContainers(): number {
    const now = this.opts.clock.now();
    const candidates: string[] = [];
    for (const path of this.tree.containers) {
      const n = this.tree.getNode(path)!;
      if (n.children.size === 0 && n.cversion > 0) candidates.push(path);
    }
    for (const path of this.tree.ttls) {
      const n = this.tree.getNode(path)!;
      const ttl = ttlOf(n.ephemeralOwner) ?? 0;
      if (n.children.size === 0 && ttl !== 0 && now - n.mtime > ttl) candidates.push(path);
    }
    let reaped = 0;
    for (const path of candidates.slice(0, MAX_REAPED_PER_CHECK)) {
      const ctx = { view: new PrepView(this.tree), sessionId: 0n, authInfo: [], extendedTypes: true };
      try {
        this.commit(0n, prepDeleteContainer(path, ctx));
        reaped++;
      } catch {
        // Gained a child or vanished since the scan: nothing to do.
      }
    }
    return reaped;
  }
}
