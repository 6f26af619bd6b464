import { Code, type Id, JuteReader, OpCode } from '@paddock/coord-protocol';
import type { Clock } from '@paddock/edges';
import { sessionPassword } from '../session/session-password.js';
import type { SessionTracker } from '../session/session-tracker.js';
import type { ClientConn } from './client-conn.js';
import { OP_TABLE } from './op-table.js';
import { Request, type Stage } from './request.js';

/**
 * A request a learner forwarded, as a connection: it carries the client's auth ids for the
 * ACL checks; what it is sent goes nowhere (the learner answers its client from the commit).
 */
class ForwardedFrom implements ClientConn {
  session = null;
  held = 0;
  readonly remoteAddress = '';
  readonly answered = false;
  constructor(readonly authInfo: Id[]) {}
  send(): boolean {
    return false;
  }
  pauseInput(): void {}
  close(): void {}
  watchEvent(): void {}
}

const NO_IDS: Id[] = [];

/**
 * The leader's side of the pipeline (ZooKeeper's LeaderRequestProcessor for learner traffic):
 * requests learners forward enter prep like local ones; createSession becomes the txn that
 * creates the session; a session's liveness is kept by learners' touches and answered to
 * their revalidations.
 */
export class LeaderSide {
  constructor(
    private readonly sessions: SessionTracker,
    /** prep → log → apply → reply. */
    private readonly prep: Stage,
    /** log → apply → reply, for what needs no prep. */
    private readonly log: Stage,
    private readonly clock: Clock,
  ) {}

  forwarded(sessionId: bigint, cxid: number, op: number, request: Buffer, authInfo: readonly Id[]): void {
    if (op === OpCode.createSession) {
      const timeout = request.length >= 4 ? request.readInt32BE(0) : 0;
      const body = { kind: 'createSession' as const, timeout, passwd: sessionPassword(sessionId) };
      this.log.process(Request.internal(sessionId, OpCode.createSession, body));
      return;
    }
    const conn = new ForwardedFrom(authInfo.length === 0 ? NO_IDS : [...authInfo]);
    const req = new Request(conn, sessionId, cxid, op, OP_TABLE.get(op), new JuteReader(request), this.clock.monotonic());
    const s = this.sessions.get(sessionId);
    if (!s || (s.closing && op !== OpCode.closeSession)) {
      // As ZooKeeper's prep: a request of a session that is gone becomes an error txn.
      req.prepared = { kind: 'error', err: Code.SessionExpired };
      this.log.process(req);
      return;
    }
    this.sessions.touch(s);
    this.prep.process(req);
  }

  /** Sessions a learner's clients kept alive since its last PING. */
  touch(touches: Iterable<{ readonly sessionId: bigint; readonly timeout: number }>): void {
    for (const t of touches) {
      const s = this.sessions.get(t.sessionId);
      if (s) this.sessions.touch(s, t.timeout);
    }
  }

  /** Is the session alive? A live one is touched (its client just reconnected). */
  revalidate(sessionId: bigint, timeout: number): boolean {
    const s = this.sessions.get(sessionId);
    return s !== undefined && this.sessions.touch(s, timeout);
  }
}
