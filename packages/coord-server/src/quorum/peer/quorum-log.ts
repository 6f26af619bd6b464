import type { TxnLog } from '../../persistence/txn-log.js';
import type { Txn } from '../../txn/txn.js';
import type { Proposer } from '../../pipeline/propose-stage.js';
import { DIGEST_VERSION } from '../sync/digest.js';
import { DEFAULT_QUORUM_LIMITS } from '../wire/limits.js';
import { zkTxnBytes } from '../wire/zk-txn.js';

/**
 * The leader's log: "log" becomes "propose to the quorum". Each txn goes to the local log (its
 * fsync is the leader's own ACK) and, once applied (ProposeStage), out as a PROPOSAL in
 * ZooKeeper's txn serialization with the tree digest; it is durable, for the pipeline's gate,
 * once committed (a majority of voters has fsynced it).
 */
export class QuorumLog implements TxnLog, Proposer {
  appended = 0;
  durableZxid: number;
  onDurable: (zxid: number) => void = () => {};

  constructor(
    private readonly local: TxnLog,
    private readonly send: (zxid: number, txn: Buffer) => void,
    committedZxid: number,
  ) {
    this.durableZxid = committedZxid;
  }

  append(txn: Txn): void {
    this.local.append(txn);
    this.appended++;
  }

  /** After the txn applied (see ProposeStage): out to the quorum with the digest it left. */
  propose(txn: Txn, cxid: number, digest: bigint | null): void {
    const d = digest === null ? {} : { digest: { version: DIGEST_VERSION, treeDigest: digest } };
    let bytes = zkTxnBytes({ txn, cxid, ...d });
    if (bytes.length > DEFAULT_QUORUM_LIMITS.maxLength && txn.body.kind === 'closeSession') {
      // A session with very many ephemerals: listing them all would pass what a learner reads
      // in one packet. Without its list (ZooKeeper's form with closeSessionTxn disabled) each
      // learner closes the ephemerals its own tree holds for the session: the same set. And
      // without the digest: a 3.8 learner reading CloseSessionTxn stops cleanly only at the end
      // of the bytes (it would read a digest as a path list).
      bytes = zkTxnBytes({ txn: { ...txn, body: { kind: 'closeSession', paths: [], pathsUnlisted: true } }, cxid });
    }
    this.send(txn.zxid, bytes);
  }

  /** A quorum has the txns up to `zxid`. */
  committed(zxid: number): void {
    if (zxid <= this.durableZxid) return;
    this.durableZxid = zxid;
    this.onDurable(zxid);
  }

  async close(): Promise<void> {}
}
