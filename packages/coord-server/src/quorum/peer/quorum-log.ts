import type { TxnLog } from '../../persistence/txn-log.js';
import type { Txn } from '../../txn/txn.js';
import { zkTxnBytes } from '../wire/zk-txn.js';

/**
 * The leader's log stage target: "log" becomes "propose to the quorum". Each txn goes to the
 * local log (its fsync is the leader's own ACK) and out as a PROPOSAL in ZooKeeper's txn
 * serialization; it is durable, for the pipeline's gate, once committed (a majority of voters
 * has fsynced it).
 */
export class QuorumLog implements TxnLog {
  appended = 0;
  durableZxid: number;
  onDurable: (zxid: number) => void = () => {};

  constructor(
    private readonly local: TxnLog,
    private readonly propose: (zxid: number, txn: Buffer) => void,
    committedZxid: number,
  ) {
    this.durableZxid = committedZxid;
  }

  append(txn: Txn, cxid = 0): void {
    this.local.append(txn);
    this.appended++;
    this.propose(txn.zxid, zkTxnBytes({ txn, cxid }));
  }

  /** A quorum has the txns up to `zxid`. */
  committed(zxid: number): void {
    if (zxid <= this.durableZxid) return;
    this.durableZxid = zxid;
    this.onDurable(zxid);
  }

  async close(): Promise<void> {}
}
