import { OpCode } from '@paddock/coord-protocol';
import type { SessionOwner, SessionTracker } from '../session/session-tracker.js';
import type { Txn } from '../txn/txn.js';
import type { ClientConn } from './client-conn.js';
import type { Forwarder } from './forwarding.js';
import type { Handshake } from './handshake.js';
import { Request, type Stage } from './request.js';

/** A connect waiting for the leader: a new session's createSession, or a revalidation. */
interface PendingConnect {
  readonly conn: ClientConn;
  readonly timeout: number;
  readonly flag: boolean | undefined;
}

const TIMEOUT_BYTES = 4;

/**
 * The first stage on a learner (ZooKeeper's FollowerRequestProcessor and CommitProcessor):
 * writes, closeSession and sync go to the leader at once; every request of a session then
 * waits behind that session's forwarded ones, so a client reads its own writes and sees its
 * requests answered in order. Commits arrive in zxid order and go to apply → reply, answering
 * the request they match (same session and cxid) when it waits here.
 */
export class LearnerSide implements Stage {
  private readonly queues = new Map<bigint, Request[]>();
  /** Forwarded requests not yet answered by a commit (or a SYNC). */
  private readonly waiting = new Set<Request>();
  private readonly syncs: Request[] = [];
  private readonly creating = new Map<bigint, PendingConnect>();
  private readonly revalidating = new Map<bigint, PendingConnect[]>();
  /** Sessions our clients touched since the last PING answer, with their timeouts. */
  private touched = new Map<bigint, number>();

  constructor(
    private readonly forwarder: Forwarder,
    private readonly sessions: SessionTracker,
    /** apply → reply. */
    private readonly apply: Stage,
    private readonly handshake: Handshake,
  ) {}

  process(req: Request): void {
    this.touch(req.sessionId);
    const h = req.handler!;
    const forwarded = h.kind === 'write' || (h.kind === 'control' && h.name === 'closeSession') || req.op === OpCode.sync;
    if (forwarded) {
      const body = req.body!;
      const bytes = Buffer.from(body.buf.subarray(body.offset, body.end));
      this.forwarder.forward(req.sessionId, req.xid, req.op, bytes, req.conn?.authInfo ?? []);
      this.waiting.add(req);
      if (req.op === OpCode.sync) this.syncs.push(req);
    }
    let q = this.queues.get(req.sessionId);
    if (!q) this.queues.set(req.sessionId, (q = []));
    q.push(req);
    if (q.length === 1) this.drain(req.sessionId);
  }

  /** A committed txn from the leader, with the cxid of the request it answers. */
  committed(txn: Txn, cxid: number): void {
    const q = this.queues.get(txn.sessionId);
    const head = q?.[0];
    let req: Request;
    if (head && this.waiting.has(head) && head.xid === cxid && head.op !== OpCode.sync) {
      q!.shift();
      this.waiting.delete(head);
      req = head;
    } else {
      req = new Request(null, txn.sessionId, cxid, -1, undefined, null, -1);
    }
    req.txn = txn;
    // Apply removes a closed session: note its connection first.
    const owner = txn.body.kind === 'closeSession' ? this.sessions.get(txn.sessionId)?.owner : undefined;
    this.apply.process(req);
    if (txn.body.kind === 'createSession') this.sessionCreated(txn.sessionId);
    if (txn.body.kind === 'closeSession') this.sessionClosed(txn.sessionId, req.conn === null ? owner : undefined);
    else this.drain(txn.sessionId);
  }

  /** The leader passed our oldest forwarded sync. */
  synced(): void {
    const req = this.syncs.shift();
    if (!req) return;
    this.waiting.delete(req);
    this.drain(req.sessionId);
  }

  /** A new session: the leader creates it; the client is answered when its createSession commits. */
  createSession(conn: ClientConn, id: bigint, timeout: number, flag: boolean | undefined): void {
    this.creating.set(id, { conn, timeout, flag });
    const bytes = Buffer.alloc(TIMEOUT_BYTES);
    bytes.writeInt32BE(timeout);
    this.forwarder.forward(id, 0, OpCode.createSession, bytes, conn.authInfo);
  }

  /** A session a client brings here: the leader says whether it lives (and moves it to us). */
  revalidate(conn: ClientConn, id: bigint, timeout: number, flag: boolean | undefined): void {
    const list = this.revalidating.get(id);
    if (list) list.push({ conn, timeout, flag });
    else this.revalidating.set(id, [{ conn, timeout, flag }]);
    this.forwarder.revalidate(id, timeout);
  }

  revalidated(id: bigint, valid: boolean): void {
    const list = this.revalidating.get(id);
    this.revalidating.delete(id);
    for (const p of list ?? []) {
      const s = valid ? this.sessions.get(id) : undefined;
      if (s) this.handshake.accept(p.conn, s, p.timeout, p.flag);
      else this.handshake.refuse(p.conn, p.flag);
    }
  }

  /** The touches since the last call (a PING answer carries them to the leader). */
  takeTouches(): Map<bigint, number> {
    const t = this.touched;
    this.touched = new Map();
    return t;
  }

  private touch(id: bigint): void {
    const s = this.sessions.get(id);
    if (s) this.touched.set(id, s.timeout);
  }

  /** Answers the session's requests from the head while they need nothing from the leader. */
  private drain(id: bigint): void {
    const q = this.queues.get(id);
    if (!q) return;
    while (q.length > 0 && !this.waiting.has(q[0]!)) this.apply.process(q.shift()!);
    if (q.length === 0) this.queues.delete(id);
  }

  private sessionCreated(id: bigint): void {
    const p = this.creating.get(id);
    const s = this.sessions.get(id);
    this.creating.delete(id);
    if (p && s) {
      this.handshake.accept(p.conn, s, p.timeout, p.flag);
      this.touch(id);
    }
  }

  /**
   * The session is gone: closed by its client (answered already), or expired by the leader or
   * closed through another server, when its connection here (`owner`) must go too.
   */
  private sessionClosed(id: bigint, owner: SessionOwner | null | undefined): void {
    for (const r of this.queues.get(id) ?? []) this.waiting.delete(r);
    this.queues.delete(id);
    this.touched.delete(id);
    owner?.close('session closed by the leader');
  }
}
