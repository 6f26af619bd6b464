import { OptionError, systemClock, type Clock } from '@paddock/edges';
import type { Invoker } from '../call/invoker.js';

export interface InvokerStatsOptions {
  /** Length of the sliding window; default 30 s (Dubbo's slide period). */
  readonly windowMs?: number;
  /** The window moves in this many steps; default 6 (so by 5 s with the default window). */
  readonly buckets?: number;
  /** Any Clock fits: only the wall clock is read. Default Date.now. */
  readonly clock?: Pick<Clock, 'now'>;
}

const DEFAULT_WINDOW_MS = 30_000;
const DEFAULT_BUCKETS = 6;
const MAX_BUCKETS = 60;
/** Providers tracked at once; beyond this the longest-tracked one is dropped. */
const MAX_TRACKED = 10_000;

/** One provider's window: a ring of buckets, each the sum and count of the calls in one step. */
class Window {
  readonly sums: Float64Array;
  readonly counts: Uint32Array;
  /** Which step each bucket holds now; -1 for never used. */
  readonly steps: Float64Array;
  lastStep = -1;

  constructor(buckets: number) {
    this.sums = new Float64Array(buckets);
    this.counts = new Uint32Array(buckets);
    this.steps = new Float64Array(buckets).fill(-1);
  }
}

/**
 * Response times per provider over a sliding window, for shortest-response balancing. The
 * cluster records the elapsed time of each successful (or timed-out) call; the balancer reads
 * the average. Old samples fall out bucket by bucket, so a provider that was slow a minute ago
 * and is fast now is judged by now.
 */
export class InvokerStats {
  readonly windowMs: number;
  private readonly buckets: number;
  private readonly stepMs: number;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(options: InvokerStatsOptions = {}) {
    const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    const buckets = options.buckets ?? DEFAULT_BUCKETS;
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) {
      throw new OptionError('buckets', buckets, { message: `stats buckets must be an integer in 1..${MAX_BUCKETS}, got ${String(buckets)}` });
    }
    if (!Number.isFinite(windowMs) || windowMs < buckets) {
      throw new OptionError('windowMs', windowMs, { message: `stats windowMs must be a finite number >= buckets (${buckets}), got ${String(windowMs)}` });
    }
    this.windowMs = windowMs;
    this.buckets = buckets;
    this.stepMs = windowMs / buckets;
    this.clock = options.clock ?? systemClock;
  }

  /** Adds one call's elapsed time (negative values, from a clock stepping back, count as 0). */
  record(invoker: Invoker, elapsedMs: number): void {
    if (!Number.isFinite(elapsedMs)) return;
    const now = this.clock.now();
    if (now >= this.nextSweepAt) this.sweep(now);
    let w = this.windows.get(invoker.id);
    if (w === undefined) {
      if (this.windows.size >= MAX_TRACKED) this.dropOldest();
      w = new Window(this.buckets);
      this.windows.set(invoker.id, w);
    }
    const step = Math.floor(now / this.stepMs);
    const slot = step % this.buckets;
    if (w.steps[slot] !== step) {
      w.steps[slot] = step;
      w.sums[slot] = 0;
      w.counts[slot] = 0;
    }
    w.sums[slot] += elapsedMs > 0 ? elapsedMs : 0;
    w.counts[slot] += 1;
    w.lastStep = step;
  }

  /** Average elapsed ms over the window, or undefined when there are no samples in it. */
  averageMs(invoker: Invoker, now: number = this.clock.now()): number | undefined {
    const avg = this.average(invoker.id, now);
    return avg < 0 ? undefined : avg;
  }

  /** Samples in the window (for tests and diagnostics). */
  countOf(invoker: Invoker, now: number = this.clock.now()): number {
    const w = this.windows.get(invoker.id);
    if (w === undefined) return 0;
    const step = Math.floor(now / this.stepMs);
    let count = 0;
    for (let i = 0; i < this.buckets; i++) if (step - w.steps[i] < this.buckets) count += w.counts[i];
    return count;
  }

  /** The average, or -1 when unknown: the allocation-free form the balancer calls per candidate. */
  average(id: string, now: number): number {
    const w = this.windows.get(id);
    if (w === undefined) return -1;
    const step = Math.floor(now / this.stepMs);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < this.buckets; i++) {
      // A bucket is live while it holds one of the last `buckets` steps.
      if (step - w.steps[i] < this.buckets) {
        sum += w.sums[i];
        count += w.counts[i];
      }
    }
    return count === 0 ? -1 : sum / count;
  }

  get tracked(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    const step = Math.floor(now / this.stepMs);
    for (const [id, w] of this.windows) if (step - w.lastStep >= this.buckets) this.windows.delete(id);
    this.nextSweepAt = now + this.windowMs;
  }

  private dropOldest(): void {
    for (const id of this.windows.keys()) {
      this.windows.delete(id);
      return;
    }
  }
}
