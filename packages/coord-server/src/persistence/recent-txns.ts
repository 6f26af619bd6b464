import type { Txn } from '../txn/txn.js';

/**
 * The last `capacity` txns logged, oldest first, with no gap between them (ZooKeeper's
 * committedLog): what an ensemble leader syncs a learner from by DIFF, and what a server whose
 * term ended applies to bring its tree level with its log again. Kept by Persistence: every
 * append goes in, a truncation cuts the tail, a replacement by a leader's snapshot empties it.
 */
export class RecentTxns {
  /** Up to twice the capacity, trimmed in one splice when full: each push costs O(1) on average. */
  private txns: Txn[] = [];
  /** Txns were spliced off for room. */
  private dropped = false;

  /** Older txns were dropped, or are kept but past what list() shows: the window may not reach back to a given zxid. */
  get trimmed(): boolean {
    return this.dropped || this.txns.length > this.capacity;
  }

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new RangeError(`recent txn capacity must be a whole number, got ${capacity}`);
  }

  push(txn: Txn): void {
    if (this.capacity === 0) return;
    this.txns.push(txn);
    if (this.txns.length >= 2 * this.capacity) {
      this.txns.splice(0, this.txns.length - this.capacity);
      this.dropped = true;
    }
  }

  /** Oldest first. */
  list(): readonly Txn[] {
    return this.txns.length > this.capacity ? this.txns.slice(-this.capacity) : this.txns;
  }

  /** History was cut back to `zxid` (ZAB's TRUNC): the txns after it go. */
  truncateAfter(zxid: number): void {
    let keep = this.txns.length;
    while (keep > 0 && this.txns[keep - 1]!.zxid > zxid) keep--;
    this.txns.length = keep;
  }

  /** History restarts from a snapshot: nothing before it is known as txns any more. */
  clear(): void {
    this.txns = [];
    this.dropped = false;
  }
}
