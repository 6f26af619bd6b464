import type { JuteReader } from '@paddock/coord-protocol';

/** One request between the caller and its reply. */
export interface Request {
  readonly xid: number;
  readonly op: number;
  /** The whole length-prefixed frame, encoded once when the call was made. */
  readonly frame: Buffer;
  /** Internal packets (SetWatches) do not count against the caller's bound. */
  readonly counted: boolean;
  /** Settles the call from the reply's error code and body (null when failed locally). */
  finish(err: number, body: JuteReader | null): void;
}

/** A FIFO with an advancing head instead of Array#shift, so draining stays O(1) per item. */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }
}

/** Why a reply could not be matched; the connection is out of step and must be dropped. */
export class ReplyOrderError extends Error {
  override readonly name = 'ReplyOrderError';
}

/**
 * Requests not yet written (made while disconnected) and requests written and awaiting their
 * reply. ZooKeeper answers a session's requests in the order it received them, so a reply
 * always belongs to the oldest request in flight (ClientCnxn's pendingQueue).
 */
export class RequestQueue {
  private readonly unsent = new Fifo<Request>();
  private readonly inFlight = new Fifo<Request>();
  private counted = 0;

  constructor(readonly limit: number) {}

  /** Caller requests held, unsent and in flight. */
  get size(): number {
    return this.counted;
  }

  get full(): boolean {
    return this.counted >= this.limit;
  }

  get inFlightCount(): number {
    return this.inFlight.length;
  }

  hold(req: Request): void {
    this.count(req, 1);
    this.unsent.push(req);
  }

  sent(req: Request, fromUnsent = false): void {
    if (!fromUnsent) this.count(req, 1);
    this.inFlight.push(req);
  }

  /** Takes every unsent request, oldest first, for writing after a (re)connect. */
  takeUnsent(): Request[] {
    return this.unsent.drain();
  }

  match(xid: number): Request {
    const head = this.inFlight.peek();
    if (!head) throw new ReplyOrderError(`reply with xid ${xid} but nothing in flight`);
    if (head.xid !== xid) throw new ReplyOrderError(`xid out of order: got ${xid}, expected ${head.xid}`);
    this.inFlight.shift();
    this.count(head, -1);
    return head;
  }

  /** Takes every request, in flight first (they were made earlier), to fail them. */
  drain(): Request[] {
    const all = this.inFlight.drain().concat(this.unsent.drain());
    this.counted = 0;
    return all;
  }

  private count(req: Request, delta: number): void {
    if (req.counted) this.counted += delta;
  }
}
