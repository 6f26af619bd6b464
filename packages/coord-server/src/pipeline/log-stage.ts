import type { Clock } from '@paddock/edges';
import type { TxnLog } from '../persistence/txn-log.js';
import type { Txn } from '../txn/txn.js';
import type { DurabilityGate } from './durability-gate.js';
import type { Request, Stage } from './request.js';

/**
 * log: gives a prepared change its zxid and time and appends the txn to the txn log. The log
 * makes it durable later (group commit); the durability gate holds back everything sent after
 * it until then, so apply and reply need not wait. Requests without a change pass.
 */
export class LogStage implements Stage {
  constructor(
    private readonly log: TxnLog,
    private readonly clock: Clock,
    private readonly gate: DurabilityGate,
    /** The last zxid given out (the recovered history's last). */
    private lastZxid: number,
    private readonly next: Stage,
  ) {}

  process(req: Request): void {
    const body = req.prepared;
    if (body !== null) {
      const txn: Txn = { zxid: ++this.lastZxid, time: this.clock.now(), sessionId: req.sessionId, body };
      this.gate.logged(txn.zxid);
      this.log.append(txn, req.xid);
      req.txn = txn;
    }
    this.next.process(req);
  }
}
