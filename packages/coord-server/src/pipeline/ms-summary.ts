/** Whole milliseconds counted one by one; slower observations share the last slot. */
const EXACT_MS = 1024;

/**
 * A summary of whole-millisecond observations (ZooKeeper's AvgMinMaxPercentileCounter, as mntr
 * prints readlatency, updatelatency, dbinittime): count, sum, min, max and quantiles. Counts per
 * millisecond in a fixed array, so an observation is three comparisons and two additions, and a
 * quantile is exact up to EXACT_MS - 1 ms (beyond that the max is reported). Since start: it is
 * never reset (as ZooKeeper's counters under its Prometheus provider).
 */
export class MsSummary {
  count = 0;
  sum = 0;
  private lo = 0;
  max = 0;
  private readonly perMs = new Float64Array(EXACT_MS);

  observe(ms: number): void {
    if (this.count === 0 || ms < this.lo) this.lo = ms;
    if (ms > this.max) this.max = ms;
    this.sum += ms;
    this.count++;
    this.perMs[ms < EXACT_MS ? ms : EXACT_MS - 1]!++;
  }

  /** 0 before the first observation, as ZooKeeper reports it. */
  get min(): number {
    return this.count === 0 ? 0 : this.lo;
  }

  get avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** The smallest value with at least q of the observations at or below it; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let ms = 0; ms < EXACT_MS - 1; ms++) {
      seen += this.perMs[ms]!;
      if (seen >= rank) return ms;
    }
    return this.max;
  }
}
