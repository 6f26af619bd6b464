import { Code, type Id } from '@paddock/coord-protocol';
import type { Logger } from '../base/logger.js';
import type { SessionTracker } from '../session/session-tracker.js';
import type { DataTree } from '../tree/data-tree.js';
import { errorCode } from './error-code.js';
import type { WriteOp } from './op-table.js';
import { type PrepContext, prepCloseSession } from './prep.js';
import { PrepView } from './prep-view.js';
import { QuotaGuard } from './quota-guard.js';
import type { PacketCounters } from './request-stats.js';
import type { Request, Stage } from './request.js';

const NO_IDS: readonly Id[] = [];

/** The prep context, reused for every write: prep runs one request at a time to completion. */
interface ReusedPrepContext extends PrepContext {
  sessionId: bigint;
  authInfo: readonly Id[];
}

/**
 * prep (ZooKeeper's PrepRequestProcessor): decodes a write, checks it against the tree (path,
 * version, ACL) and computes the txn it becomes, or an error txn, which still takes a zxid.
 * closeSession becomes the txn that deletes the session's ephemerals. Reads and pings pass.
 */
export class PrepStage implements Stage {
  private readonly ctx: ReusedPrepContext;

  constructor(
    private readonly tree: DataTree,
    private readonly sessions: SessionTracker,
    private readonly counters: PacketCounters,
    extendedTypes: boolean,
    private readonly logger: Logger,
    private readonly next: Stage,
    enforceQuota = false,
  ) {
    const quota = enforceQuota ? new QuotaGuard(tree, logger) : null;
    this.ctx = { view: new PrepView(tree), sessionId: 0n, authInfo: NO_IDS, extendedTypes, quota };
  }

  process(req: Request): void {
    const h = req.handler!;
    if (h.kind === 'write') {
      this.counters.writes++;
      this.prepWrite(req, h);
    } else if (h.kind === 'read') {
      this.counters.reads++;
    } else if (h.name === 'closeSession') {
      this.closeSession(req);
    }
    this.next.process(req);
  }

  private prepWrite(req: Request, h: WriteOp): void {
    try {
      const body = h.decode(req.body!);
      if (h.failsBeforeZxid?.(body)) {
        req.err = Code.MarshallingError;
        return;
      }
      req.prepared = h.prep(body, this.context(req));
    } catch (e) {
      req.prepared = { kind: 'error', err: errorCode(e, req.op, this.logger) };
    }
  }

  /** A client's closeSession or an expired session: its ephemerals go in one closeSession txn. */
  private closeSession(req: Request): void {
    const s = this.sessions.get(req.sessionId);
    if (s) s.closing = true;
    req.prepared = prepCloseSession(this.tree.ephemeralsOf(req.sessionId), this.context(req));
  }

  private context(req: Request): PrepContext {
    const ctx = this.ctx;
    ctx.view.reset();
    ctx.sessionId = req.sessionId;
    ctx.authInfo = req.conn === null ? NO_IDS : req.conn.authInfo;
    return ctx;
  }
}
