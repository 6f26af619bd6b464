import type { Logger } from '../base/logger.js';
import type { DataTree } from '../tree/data-tree.js';
import type { Txn } from '../txn/txn.js';
import { applyTxn } from '../txn/apply.js';
import { errorCode } from './error-code.js';
import type { ReadOp } from './op-table.js';
import type { Database } from './database.js';
import { type ClientRequest, type Request, type Stage, fromClient } from './request.js';

/** ZooKeeper's tree digest, kept as txns apply (quorum/sync/digest.ts's TreeDigest). */
export interface DigestKeeper {
  track<T>(tree: DataTree, txn: Txn, apply: () => T): T;
  readonly value: bigint;
}

/**
 * apply (ZooKeeper's FinalRequestProcessor): applies a logged txn to the tree, which fires the
 * watches it triggers (the watch sink sends them), or answers a read from the tree.
 */
export class ApplyStage implements Stage {
  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly next: Stage,
    /** Kept up to date txn by txn where the server sends ZooKeeper's digest with its txns. */
    private readonly digest: DigestKeeper | null = null,
  ) {}

  process(req: Request): void {
    const txn = req.txn;
    if (txn !== null) {
      const d = this.digest;
      if (d === null) {
        req.result = applyTxn(this.db, txn);
      } else {
        req.result = d.track(this.db.tree, txn, () => applyTxn(this.db, txn));
        req.digest = d.value;
      }
    } else {
      const h = req.handler;
      if (h !== undefined && h.kind === 'read' && fromClient(req)) this.read(req, h);
    }
    this.next.process(req);
  }

  private read(req: ClientRequest, h: ReadOp): void {
    let body: unknown;
    try {
      body = h.decode(req.body!);
    } catch (e) {
      req.err = errorCode(e, req.op, this.logger);
      return;
    }
    try {
      req.result = h.run(this.db, req, body);
    } catch (e) {
      const err = errorCode(e, req.op, this.logger);
      // A multiRead that decoded but failed still carries its (empty) result list.
      if (h.response === 'multi') req.result = { results: [], err };
      else req.err = err;
    }
  }
}
