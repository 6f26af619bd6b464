import { type ConnectRequest, OpCode } from '@paddock/coord-protocol';
import type { Clock } from '@paddock/edges';
import type { Logger } from '../base/logger.js';
import { checkSessionPassword, sessionPassword } from '../session/session-password.js';
import type { Session, SessionTracker } from '../session/session-tracker.js';
import type { DataTree } from '../tree/data-tree.js';
import type { ClientConn } from './client-conn.js';
import type { DurabilityGate } from './durability-gate.js';
import type { ReplyEncoder } from './reply-encoder.js';
import type { RequestStats } from './request-stats.js';
import { Request, type Stage } from './request.js';

export interface HandshakeOptions {
  readonly minSessionTimeout: number;
  readonly maxSessionTimeout: number;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** What a refused connect carries: no session, no timeout, a zero password. */
const REFUSED = { protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: Buffer.alloc(16) };

/**
 * The first frame of a connection (ZooKeeper's processConnectRequest): a new session is a
 * createSession txn through the log; a resumed one must name a live session and its password.
 */
/** Where sessions are decided when not here: the leader, reached by a learner. */
export interface RemoteSessions {
  createSession(conn: ClientConn, id: bigint, timeout: number, flag: boolean | undefined): void;
  revalidate(conn: ClientConn, id: bigint, timeout: number, flag: boolean | undefined): void;
}

export class Handshake {
  /** Set on a learner: new sessions and sessions brought here are the leader's to decide. */
  remote: RemoteSessions | null = null;

  constructor(
    private readonly o: HandshakeOptions,
    private readonly tree: DataTree,
    private readonly sessions: SessionTracker,
    /** Where the createSession txn enters the pipeline: the log stage. */
    private readonly log: Stage,
    private readonly gate: DurabilityGate,
    private readonly encoder: ReplyEncoder,
    private readonly stats: RequestStats,
  ) {}

  connect(conn: ClientConn, req: ConnectRequest, readOnlyFlag: boolean | undefined): void {
    if (req.lastZxidSeen > this.tree.lastProcessedZxid) {
      this.o.logger.info({ seen: req.lastZxidSeen, ours: this.tree.lastProcessedZxid }, 'refusing client that has seen a newer zxid');
      this.gate.close(conn, 'client has seen a newer zxid');
      return;
    }
    const timeout = Math.min(Math.max(req.timeOut, this.o.minSessionTimeout), this.o.maxSessionTimeout);
    const flag = readOnlyFlag === undefined ? undefined : false;
    if (req.sessionId === 0n) {
      const id = this.sessions.newSessionId();
      if (this.remote) return this.remote.createSession(conn, id, timeout, flag);
      // ZooKeeper derives the password from the id, so any server of an ensemble can check it.
      this.log.process(Request.internal(id, OpCode.createSession, { kind: 'createSession', timeout, passwd: sessionPassword(id) }));
      this.accept(conn, this.sessions.get(id)!, timeout, flag);
      return;
    }
    const s = this.sessions.get(req.sessionId);
    // ZooKeeper closes the session's current connection before it checks the password, so
    // even a refused attempt (wrong or null password) costs the owner its connection.
    if (s?.owner && s.owner !== conn) s.owner.close('session reconnected on another connection');
    if (this.remote) {
      if (!checkSessionPassword(req.sessionId, req.passwd)) return this.refuse(conn, flag);
      return this.remote.revalidate(conn, req.sessionId, timeout, flag);
    }
    if (!s || s.closing || !req.passwd || !s.passwd.equals(req.passwd)) return this.refuse(conn, flag);
    this.sessions.touch(s, timeout);
    this.accept(conn, s, timeout, flag);
  }

  /** Attaches the connection to its session and answers the connect. */
  accept(conn: ClientConn, s: Session, timeout: number, flag: boolean | undefined): void {
    conn.session = s;
    s.owner = conn;
    this.stats.opened(conn, this.o.clock.now());
    this.gate.send(conn, this.encoder.connect({ protocolVersion: 0, timeOut: timeout, sessionId: s.id, passwd: s.passwd }, flag));
  }

  /** An unknown, expired or wrongly authenticated session: a zero answer, then the close. */
  refuse(conn: ClientConn, flag: boolean | undefined): void {
    this.gate.send(conn, this.encoder.connect(REFUSED, flag));
    this.gate.close(conn, 'invalid or expired session');
  }
}
