import type { Txn } from '../pipeline/txn.js';

/**
 * Where transactions go before they are applied. This issue keeps the tree in memory, so
 * the log is a counter; the durable, group-committed log replaces it behind this seam.
 */
export interface TxnLog {
  append(txn: Txn): void;
  readonly appended: number;
}

export class MemoryTxnLog implements TxnLog {
  appended = 0;
  append(_txn: Txn): void {
    this.appended++;
  }
}
