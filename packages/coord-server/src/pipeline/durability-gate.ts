import type { Clock } from '@paddock/edges';
import type { TxnLog } from '../persistence/txn-log.js';
import type { ClientConn } from './client-conn.js';
import type { RequestStats } from './request-stats.js';

/** Replies held for durability per connection before we stop reading its requests. */
const MAX_HELD_PER_CONNECTION = 10_000;

/** A frame (or a close, frame null) waiting behind the gate for txn `zxid` to be durable. */
interface Held {
  conn: ClientConn;
  frame: Buffer | null;
  zxid: number;
  reason: string;
  /** Arrival time of the request this reply answers; -1 for events and closes. */
  since: number;
  /** The op of the request this reply answers (for its latency row); -1 with since. */
  op: number;
}

/**
 * The reply stage's gate: a frame (reply or event) or a close leaves at once when every txn
 * logged so far is durable, else it waits behind them in order, so no client ever sees a
 * change that a crash could undo. Everything the server sends a client passes here.
 */
export class DurabilityGate {
  /** Frames (or closes, frame null) waiting for the txns before them to be durable, in order. */
  private readonly held: Held[] = [];
  private heldHead = 0;

  constructor(
    private readonly log: TxnLog,
    private readonly stats: RequestStats,
    private readonly clock: Clock,
    /** The newest zxid handed to the log: what is sent after it waits until it is durable. */
    private loggedZxid: number,
  ) {}

  /** The log stage handed txn `zxid` to the log. */
  logged(zxid: number): void {
    this.loggedZxid = zxid;
  }

  /** An event or a connect response. */
  send(conn: ClientConn, frame: Buffer): void {
    this.deliver(conn, frame, '', -1, -1);
  }

  /** The reply to a request (op `op`) that arrived at `since`; true when it waits for the disk. */
  reply(conn: ClientConn, frame: Buffer, since: number, op: number): boolean {
    return this.deliver(conn, frame, '', since, op);
  }

  /** Closes the connection once everything sent to it before has left. */
  close(conn: ClientConn, reason: string): void {
    this.deliver(conn, null, reason, -1, -1);
  }

  private deliver(conn: ClientConn, frame: Buffer | null, reason: string, since: number, op: number): boolean {
    if (this.heldHead === this.held.length && this.log.durableZxid >= this.loggedZxid) {
      this.leave(conn, frame, reason);
      return false;
    }
    this.held.push({ conn, frame, zxid: this.loggedZxid, reason, since, op });
    if (++conn.held === MAX_HELD_PER_CONNECTION) conn.pauseInput(true);
    return true;
  }

  private leave(conn: ClientConn, frame: Buffer | null, reason: string): void {
    if (frame) {
      this.stats.frameSent(frame.length - 4);
      if (conn.send(frame)) this.stats.counters.sent++;
    } else {
      conn.close(reason);
    }
  }

  /** The log made every txn up to `durable` durable: what waited for them leaves, in order. */
  release(durable: number): void {
    const held = this.held;
    let i = this.heldHead;
    let now = -1;
    while (i < held.length && held[i]!.zxid <= durable) {
      const h = held[i]!;
      held[i++] = undefined as never;
      if (h.since >= 0) {
        if (now < 0) now = this.clock.monotonic();
        this.stats.released(h.conn, h.op, h.since, now);
      }
      this.leave(h.conn, h.frame, h.reason);
      if (--h.conn.held === MAX_HELD_PER_CONNECTION >> 1) h.conn.pauseInput(false);
    }
    if (i === held.length) {
      held.length = 0;
      this.heldHead = 0;
    } else if (i > 1024 && i * 2 > held.length) {
      // Under steady load the queue may never drain completely: drop the released prefix
      // now and then (amortized O(1)) so the array does not grow for as long as the load lasts.
      held.splice(0, i);
      this.heldHead = 0;
    } else {
      this.heldHead = i;
    }
  }

  /** Replies and events waiting for the disk, and the slots the queue holds (for tests). */
  get heldQueue(): { readonly waiting: number; readonly slots: number } {
    return { waiting: this.held.length - this.heldHead, slots: this.held.length };
  }
}
