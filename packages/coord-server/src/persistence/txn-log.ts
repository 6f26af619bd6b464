import type { Txn } from '../txn/txn.js';

/**
 * Where transactions go before they are applied. `durableZxid` is the highest zxid known to
 * be on disk; the pipeline holds back every reply and event produced after a txn until that
 * txn is durable, and learns of progress through the `onDurable` callback it installs.
 */
export interface TxnLog {
  /** `cxid`: the client request it came from (0 for the server's own), which an ensemble carries. */
  append(txn: Txn, cxid?: number): void;
  readonly appended: number;
  readonly durableZxid: number;
  onDurable: (zxid: number) => void;
  close(): Promise<void>;
}

/** A log that keeps nothing: for in-memory servers and stage tests. Everything is durable at once. */
export class MemoryTxnLog implements TxnLog {
  appended = 0;
  durableZxid = 0;
  onDurable: (zxid: number) => void = () => {};

  append(txn: Txn): void {
    this.appended++;
    this.durableZxid = txn.zxid;
  }

  async close(): Promise<void> {}
}
