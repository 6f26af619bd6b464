import type { Txn } from '../../packages/coord-server/src/txn/txn.js';
import { type ZkTxn, decodeZkTxn, zkTxnBytes } from '../../packages/coord-server/src/quorum/wire/zk-txn.js';

const keys = new WeakMap<Txn, string>();
const decoded = new WeakMap<Buffer, ZkTxn>();

/**
 * A txn's identity for the invariants: its bytes in ZooKeeper's serialization with cxid 0 and
 * no digest (what a log holds and a DIFF resends), so the same txn compares equal however it
 * reached a server. Kept per txn object: each is encoded once.
 */
export function txnKey(txn: Txn): string {
  let k = keys.get(txn);
  if (k === undefined) {
    k = zkTxnBytes({ txn, cxid: 0 }).toString('latin1');
    keys.set(txn, k);
  }
  return k;
}

/**
 * decodeZkTxn, once per buffer: a PROPOSAL's bytes reach every learner as one object (the
 * simulated network does not copy), so each proposal is decoded once, not once per learner
 * and output (log, apply). The result is what decoding again would give.
 */
export function decodeTxn(bytes: Buffer): ZkTxn {
  let d = decoded.get(bytes);
  if (d === undefined) {
    d = decodeZkTxn(bytes);
    decoded.set(bytes, d);
  }
  return d;
}

/**
 * The txns a server's tree was built from, in zxid order (the simulator's bookkeeping, not the
 * server's state): what the invariants compare between servers. A tree replaced by a snapshot
 * or a reload gets the history that came with it.
 */
export class Hist {
  private readonly zs: number[] = [];
  private readonly keys = new Map<number, string>();

  get last(): number {
    return this.zs.at(-1) ?? 0;
  }

  get size(): number {
    return this.zs.length;
  }

  get(zxid: number): string | undefined {
    return this.keys.get(zxid);
  }

  /** Appends a txn after the last one; false (nothing added) when it does not come after it. */
  add(zxid: number, key: string): boolean {
    if (this.zs.length > 0 && zxid <= this.last) return false;
    this.zs.push(zxid);
    this.keys.set(zxid, key);
    return true;
  }

  /** Drops every txn after `zxid`. */
  cutAfter(zxid: number): void {
    while (this.zs.length > 0 && this.last > zxid) this.keys.delete(this.zs.pop()!);
  }

  /** Zxids in (from, to], oldest first. */
  range(from: number, to: number): number[] {
    let lo = 0;
    let hi = this.zs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.zs[mid]! <= from) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.zs.length && this.zs[i]! <= to; i++) out.push(this.zs[i]!);
    return out;
  }

  /** Zxids this history has and `other` lacks. */
  missingFrom(other: Hist): number[] {
    return this.zs.filter((z) => other.get(z) !== this.keys.get(z));
  }

  /** The same txns at the same zxids. */
  equals(other: Hist): boolean {
    return this.zs.length === other.zs.length && this.zs.every((z) => other.get(z) === this.keys.get(z));
  }

  /** Its txns up to `zxid` (all by default), as a history of their own. */
  copy(upTo = Number.MAX_SAFE_INTEGER): Hist {
    const h = new Hist();
    for (const z of this.zs) {
      if (z > upTo) break;
      h.add(z, this.keys.get(z)!);
    }
    return h;
  }
}
