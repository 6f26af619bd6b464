import type { ClientConn } from './client-conn.js';
import { RequestMetrics } from './request-metrics.js';

/**
 * min/avg/max of request latencies in whole milliseconds, as ZooKeeper's AvgMinMaxCounter.
 * A latency is the difference of two floored monotonic timestamps, like ZooKeeper's
 * difference of two `Time.currentElapsedTime()` readings, so the average stays unbiased.
 */
export class LatencyCounter {
  count = 0;
  total = 0;
  /** Meaningful only when count > 0; reported as 0 before the first request, as ZooKeeper. */
  private lo = 0;
  max = 0;

  add(ms: number): void {
    if (this.count === 0 || ms < this.lo) this.lo = ms;
    if (ms > this.max) this.max = ms;
    this.total += ms;
    this.count++;
  }

  get min(): number {
    return this.count === 0 ? 0 : this.lo;
  }

  get avg(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  reset(): void {
    this.count = this.total = this.lo = this.max = 0;
  }
}

/** No request yet: ZooKeeper prints "NA" for the last operation. */
export const NO_OP = -1;

/** What `cons` and the `connections` command report per connection (ZooKeeper's ServerCnxn stats). */
export class ConnectionStats extends LatencyCounter {
  lastOp = NO_OP;
  lastCxid = -1;
  lastZxid = -1;
  /** Monotonic ms (floored) at which the last reply left the durability gate. */
  lastResponseTime = 0;
  lastLatency = 0;
  /** Replies to this connection held by the durability gate. */
  outstanding = 0;

  constructor(readonly established: number) {
    super();
  }

  override reset(): void {
    super.reset();
    this.lastOp = NO_OP;
    this.lastCxid = this.lastZxid = -1;
    this.lastResponseTime = this.lastLatency = 0;
  }
}

/** Packets in and out (ZooKeeper's packets_received / packets_sent), and requests by kind. */
export interface PacketCounters {
  /** Requests of established sessions. */
  received: number;
  /** Frames (replies and events) a connection took from the durability gate. */
  sent: number;
  writes: number;
  reads: number;
}

/**
 * The pipeline's request statistics: packets in and out, latency from a request's arrival to
 * its reply leaving the durability gate, replies held by the gate, reply sizes. Updated on the
 * hot path, so it only does arithmetic on fields: one Map lookup per request, no allocation.
 */
export class RequestStats {
  readonly counters: PacketCounters = { received: 0, sent: 0, writes: 0, reads: 0 };
  readonly latency = new LatencyCounter();
  /** Replies held by the durability gate (ZooKeeper's outstanding requests). */
  outstanding = 0;
  authFailed = 0;
  lastResponseSize = -1;
  minResponseSize = -1;
  maxResponseSize = -1;
  private readonly byConn = new Map<ClientConn, ConnectionStats>();

  /** `metrics` outlives this pipeline's stats: an ensemble member passes the same one to every term. */
  constructor(readonly metrics: RequestMetrics = new RequestMetrics()) {}

  /** A connection got its session; `wallNow` is when (ZooKeeper's `est`). */
  opened(conn: ClientConn, wallNow: number): void {
    if (!this.byConn.has(conn)) this.byConn.set(conn, new ConnectionStats(wallNow));
  }

  closed(conn: ClientConn): void {
    this.byConn.delete(conn);
  }

  of(conn: ClientConn): ConnectionStats | undefined {
    return this.byConn.get(conn);
  }

  /** A request was handled; `now` < 0 means its reply is held by the gate (see `released`). */
  handled(conn: ClientConn, xid: number, op: number, zxid: number, arrival: number, now: number): void {
    const c = this.byConn.get(conn);
    if (c) {
      c.lastOp = op;
      if (xid >= 0) c.lastCxid = xid;
      c.lastZxid = zxid;
    }
    if (now >= 0) {
      this.replied(c, op, arrival, now);
    } else {
      this.outstanding++;
      if (c) c.outstanding++;
    }
  }

  /** A held reply left the gate. */
  released(conn: ClientConn, op: number, arrival: number, now: number): void {
    this.outstanding--;
    const c = this.byConn.get(conn);
    if (c) c.outstanding--;
    this.replied(c, op, arrival, now);
  }

  private replied(c: ConnectionStats | undefined, op: number, arrival: number, now: number): void {
    this.metrics.replied(op, arrival, now);
    const end = Math.floor(now);
    const ms = end - Math.floor(arrival);
    this.latency.add(ms);
    if (c) {
      c.add(ms);
      c.lastLatency = ms;
      c.lastResponseTime = end;
    }
  }

  /** A reply or event frame of `size` bytes (without its length prefix) left the gate. */
  frameSent(size: number): void {
    this.lastResponseSize = size;
    if (this.minResponseSize < 0 || size < this.minResponseSize) this.minResponseSize = size;
    if (size > this.maxResponseSize) this.maxResponseSize = size;
  }

  /** srst: what ZooKeeper's ServerStats.reset() clears. */
  resetServer(): void {
    const c = this.counters;
    c.received = c.sent = c.reads = c.writes = 0;
    this.latency.reset();
    this.lastResponseSize = this.minResponseSize = this.maxResponseSize = -1;
  }

  /** crst: every connection's latency and last-request fields. */
  resetConnections(): void {
    for (const c of this.byConn.values()) c.reset();
  }
}
