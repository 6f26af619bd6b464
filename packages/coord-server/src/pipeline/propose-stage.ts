import type { Txn } from '../txn/txn.js';
import type { Request, Stage } from './request.js';

/** Where an ensemble leader's txns go once applied: out to the quorum as proposals. */
export interface Proposer {
  /** `digest`: ZooKeeper's tree digest after the txn, sent with it (null where none is kept). */
  propose(txn: Txn, cxid: number, digest: bigint | null): void;
}

/**
 * propose (an ensemble leader only, between apply and reply): sends each txn to the quorum
 * once it has applied here, so it carries the tree digest after it, as ZooKeeper 3.8's do.
 * Its reply still waits in the durability gate until a quorum has it.
 */
export class ProposeStage implements Stage {
  constructor(private readonly proposer: Proposer, private readonly next: Stage) {}

  process(req: Request): void {
    if (req.txn !== null) this.proposer.propose(req.txn, req.xid, req.digest);
    this.next.process(req);
  }
}
