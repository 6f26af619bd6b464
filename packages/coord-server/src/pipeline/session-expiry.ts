import { OpCode } from '@paddock/coord-protocol';
import type { Logger } from '../base/logger.js';
import type { SessionTracker } from '../session/session-tracker.js';
import type { ClientConn } from './client-conn.js';
import type { DurabilityGate } from './durability-gate.js';
import { OP_TABLE } from './op-table.js';
import { Request, type Stage } from './request.js';

const CLOSE_SESSION = OP_TABLE.get(OpCode.closeSession);

/**
 * Session expiry (ZooKeeper's SessionTrackerImpl expirer): each tick, the sessions whose
 * bucket has passed are closed through the pipeline as a client's closeSession is, by a
 * request with no connection, then their connection (if any) is closed behind it.
 */
export class SessionExpiry {
  constructor(
    private readonly sessions: SessionTracker,
    /** Where the closeSession request enters the pipeline: the prep stage. */
    private readonly prep: Stage,
    private readonly gate: DurabilityGate,
    private readonly logger: Logger,
  ) {}

  expire(): void {
    for (const s of this.sessions.takeExpired()) {
      this.logger.info({ sessionId: `0x${BigInt.asUintN(64, s.id).toString(16)}` }, 'session expired');
      this.prep.process(new Request(null, s.id, 0, OpCode.closeSession, CLOSE_SESSION, null, -1));
      // Every session owner is a connection the handshake attached.
      if (s.owner) this.gate.close(s.owner as ClientConn, 'session expired');
    }
  }
}
