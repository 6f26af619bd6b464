import type { Committed } from './sync-plan.js';

interface Outstanding {
  readonly zxid: number;
  readonly txn: Buffer;
  /** The servers that acknowledged it, each once (a few ids: an array beats a Set per proposal). */
  readonly acks: number[];
}

function ackBy(p: Outstanding, sid: number): void {
  if (!p.acks.includes(sid)) p.acks.push(sid);
}

/**
 * The leader's proposals in flight and its window of recent commits. A proposal commits once
 * a majority of voters (the leader among them, after its own fsync) has acknowledged it and
 * every earlier proposal has committed; the window feeds DIFF sync (ZooKeeper keeps 500).
 */
export class Proposals {
  /** By zxid, for ACKs; in zxid order, since `add` only appends newer zxids. */
  private readonly outstanding = new Map<number, Outstanding>();
  /** The same proposals oldest first, so the next to commit is found without an iterator. */
  private readonly queue: Outstanding[] = [];
  private readonly window: Committed[] = [];
  lastProposed: number;
  lastCommitted: number;

  constructor(
    private readonly voters: ReadonlySet<number>,
    lastZxid: number,
    initial: readonly Committed[],
    private readonly windowSize: number,
  ) {
    this.lastProposed = lastZxid;
    this.lastCommitted = lastZxid;
    this.window.push(...initial.slice(-windowSize));
  }

  get inFlight(): number {
    return this.outstanding.size;
  }

  recent(): readonly Committed[] {
    return this.window;
  }

  add(zxid: number, txn: Buffer): void {
    if (zxid <= this.lastProposed) throw new RangeError(`proposal 0x${zxid.toString(16)} is not after 0x${this.lastProposed.toString(16)}`);
    const p: Outstanding = { zxid, txn, acks: [] };
    this.outstanding.set(zxid, p);
    this.queue.push(p);
    this.lastProposed = zxid;
  }

  /** Proposals not yet committed, after `zxid`, oldest first (a syncing follower gets them). */
  after(zxid: number): Committed[] {
    return this.queue.filter((p) => p.zxid > zxid);
  }

  /**
   * Records `sid`'s ACK of `zxid` (and, for the leader's own fsync, of everything before it)
   * and returns the proposals that commit because of it, in zxid order.
   */
  ack(sid: number, zxid: number, andEarlier = false): Committed[] {
    if (andEarlier) {
      for (const p of this.queue) {
        if (p.zxid > zxid) break;
        ackBy(p, sid);
      }
    } else {
      const p = this.outstanding.get(zxid);
      if (p) ackBy(p, sid);
    }
    const committed: Committed[] = [];
    for (;;) {
      const next = this.queue[0];
      if (!next || !this.hasQuorum(next.acks)) break;
      this.queue.shift();
      this.outstanding.delete(next.zxid);
      this.lastCommitted = next.zxid;
      const c = { zxid: next.zxid, txn: next.txn };
      this.window.push(c);
      if (this.window.length > this.windowSize) this.window.shift();
      committed.push(c);
    }
    return committed;
  }

  hasQuorum(ids: Iterable<number>): boolean {
    let n = 0;
    for (const id of ids) if (this.voters.has(id)) n++;
    return n * 2 > this.voters.size;
  }
}
