import { OpCode, type OpName } from '@paddock/coord-protocol';
import { MsSummary } from './ms-summary.js';
import { OP_TABLE } from './op-table.js';

/**
 * Upper bounds, in seconds, of the per-op latency histogram's buckets: 100 us to 10 s, about
 * three per decade, from a cached read on an idle server to a write waiting out a slow disk.
 */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Op codes run from -11 (closeSession) to 107 (whoAmI); an offset makes them array indexes. */
const OP_OFFSET = 16;
const OP_SLOTS = 128;

/** The ops a client sends that get a row, by the name ZooKeeper's OpCode gives them. */
const MEASURED: readonly OpName[] = (Object.keys(OpCode) as OpName[]).filter(
  (n) => n !== 'notification' && n !== 'error' && n !== 'createSession',
);

/**
 * Counts the server keeps for Prometheus and mntr beyond ZooKeeper's ServerStats: latency per
 * op (a histogram each), readlatency and updatelatency (ZooKeeper's summaries: a write is
 * anything with a txn, closeSession included; reads, pings and the rest are reads), and bytes in
 * and out. One instance lives as long as the server, across an ensemble member's terms.
 *
 * On the hot path: an index lookup in a typed array, a short bucket search and a few additions;
 * no allocation, no Map, no labels hashed (prom-client's observe() would do all three). The
 * exposition reads these arrays when scraped.
 */
export class RequestMetrics {
  /** The op names with rows, in row order. */
  readonly opNames: readonly OpName[] = MEASURED;
  /** Row of an op code (+ OP_OFFSET), -1 for none. */
  private readonly rowOf = new Int16Array(OP_SLOTS).fill(-1);
  private readonly isUpdate = new Uint8Array(OP_SLOTS);
  /** Per row: a count per bucket (the last one past the largest bound), not cumulative. */
  readonly buckets: Float64Array[];
  /** Per row: seconds summed. */
  readonly seconds: Float64Array;
  readonly counts: Float64Array;
  readonly readLatency = new MsSummary();
  readonly updateLatency = new MsSummary();
  /** Bytes of request frames from clients, length prefix included (ZooKeeper's bytes_received_count). */
  bytesReceived = 0;
  /** Bytes of reply frames (response_bytes) and of watch event frames (watch_bytes). */
  responseBytes = 0;
  watchBytes = 0;
  /** ConnectRequests received (connection_request_count). */
  connectionRequests = 0;
  /** Ms each load of the database from disk took (ZooKeeper's dbinittime): once a start or term. */
  readonly dbInitTime = new MsSummary();

  constructor() {
    this.opNames.forEach((name, row) => {
      const op = OpCode[name];
      this.rowOf[op + OP_OFFSET] = row;
      this.isUpdate[op + OP_OFFSET] = OP_TABLE.get(op)?.kind === 'write' || op === OpCode.closeSession ? 1 : 0;
    });
    this.buckets = this.opNames.map(() => new Float64Array(LATENCY_BUCKETS.length + 1));
    this.seconds = new Float64Array(this.opNames.length);
    this.counts = new Float64Array(this.opNames.length);
  }

  /**
   * A request's reply left the server: `arrival` and `now` are monotonic ms. The summaries
   * take the difference of the floored readings (ZooKeeper's whole-ms latencies), the
   * histogram the exact one.
   */
  replied(op: number, arrival: number, now: number): void {
    const slot = op + OP_OFFSET;
    const inRange = slot >= 0 && slot < OP_SLOTS;
    const ms = Math.floor(now) - Math.floor(arrival);
    if (inRange && this.isUpdate[slot] === 1) this.updateLatency.observe(ms);
    else this.readLatency.observe(ms);
    const row = inRange ? this.rowOf[slot]! : -1;
    if (row < 0) return;
    const s = (now - arrival) / 1000;
    let b = 0;
    while (b < LATENCY_BUCKETS.length && s > LATENCY_BUCKETS[b]!) b++;
    this.buckets[row]![b]!++;
    this.seconds[row]! += s;
    this.counts[row]!++;
  }
}
