/** Values below this are counted exactly, one bucket per microsecond. */
const LINEAR = 128;
/** Above LINEAR each power of two is split into this many buckets (about 1.6 % resolution). */
const SUB = 64;
const SUB_BITS = 6;
/** Largest recordable value, in µs (~35 min); larger values are clamped to it. */
const MAX_US = 0x7fffffff;
const BUCKETS = LINEAR + (31 - 7) * SUB;

function bucketOf(us: number): number {
  const v = us <= 0 ? 0 : us >= MAX_US ? MAX_US : Math.floor(us);
  if (v < LINEAR) return v;
  const e = 31 - Math.clz32(v);
  return LINEAR + (e - 7) * SUB + ((v >>> (e - SUB_BITS)) & (SUB - 1));
}

/** The middle of a bucket, in µs. */
function valueOf(bucket: number): number {
  if (bucket < LINEAR) return bucket;
  const e = 7 + Math.floor((bucket - LINEAR) / SUB);
  const width = 2 ** (e - SUB_BITS);
  return (SUB + ((bucket - LINEAR) % SUB)) * width + width / 2;
}

/**
 * A fixed-size log-linear latency histogram (the idea of HdrHistogram, in a few lines): memory
 * stays constant however long a benchmark runs, and histograms of several rounds merge.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;

  /** Records one latency given in milliseconds (performance.now() differences). */
  recordMs(ms: number): void {
    this.counts[bucketOf(ms * 1000)]!++;
    this.count++;
  }

  merge(other: LatencyHistogram): this {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    return this;
  }

  /** The q-quantile (0 < q ≤ 1) in milliseconds; NaN when empty. */
  quantileMs(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return valueOf(i) / 1000;
    }
    return valueOf(BUCKETS - 1) / 1000;
  }
}
