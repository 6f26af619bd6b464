import { checkOption, systemClock, type Clock, type RandomSource } from '@paddock/edges';
import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import type { InvokerStats } from './invoker-stats.js';
import type { InvokerExclusion, LoadBalance, LoadBalanceOptions, TimestampedInvoker } from './load-balance.js';

/** Longest warm-up accepted: a day. */
const MAX_WARMUP_MS = 86_400_000;

/**
 * A provider's weight `uptimeMs` after it started, ramping linearly to `weight` over `warmupMs`.
 * The floor of 1 (or the weight, if smaller) keeps a trickle of calls going to a provider that
 * has just started, so it is exercised from the first moment; a start time in the future (clock
 * skew between hosts) counts as just started.
 */
export function warmupWeight(weight: number, uptimeMs: number, warmupMs: number): number {
  if (!(weight > 0)) return 0;
  if (uptimeMs >= warmupMs) return weight;
  const ramped = uptimeMs > 0 ? (weight * uptimeMs) / warmupMs : 0;
  const floor = weight < 1 ? weight : 1;
  return ramped > floor ? ramped : floor;
}

const timestampOf = (invoker: Invoker): number | undefined => (invoker as TimestampedInvoker).timestamp;

/**
 * The machinery every balancer shares; a strategy overrides `pick` only. `select` drops
 * unavailable and excluded invokers (without copying when none is dropped), answers the empty and
 * single-candidate cases, and hands the rest to `pick`. Scratch arrays live on the instance:
 * `select` is synchronous, so one balancer per reference can reuse them on every call.
 */
export abstract class LoadBalanceBase implements LoadBalance {
  abstract readonly name: string;
  readonly stats: InvokerStats | undefined = undefined;
  protected readonly random: RandomSource;
  protected readonly clock: Pick<Clock, 'now'>;
  /** This pick's candidate weights by candidate index, filled by `loadWeights`. */
  protected readonly weights: number[] = [];
  /** Candidate indexes, for strategies that narrow the field (ties) before a weighted pick. */
  protected readonly indexes: number[] = [];
  private readonly warmupMs: number;
  private readonly startTimeOf: (invoker: Invoker) => number | undefined;
  private readonly eligible: Invoker[] = [];

  constructor(options: LoadBalanceOptions = {}) {
    const warmupMs = checkOption.number('warmupMs', options.warmupMs ?? 0, 0, MAX_WARMUP_MS);
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? systemClock;
    this.warmupMs = warmupMs;
    this.startTimeOf = options.startTimeOf ?? timestampOf;
  }

  select(invokers: readonly Invoker[], inv: Invocation, exclusion?: InvokerExclusion): Invoker | undefined {
    const n = invokers.length;
    let i = 0;
    while (i < n && isEligible(invokers[i], exclusion)) i++;
    let candidates = invokers;
    let count = n;
    if (i < n) {
      // Copy only from the first dropped invoker on; the common case (all eligible) copies nothing.
      const out = this.eligible;
      for (let j = 0; j < i; j++) out[j] = invokers[j];
      count = i;
      for (i++; i < n; i++) {
        const invoker = invokers[i];
        if (isEligible(invoker, exclusion)) out[count++] = invoker;
      }
      candidates = out;
    }
    if (count === 0) return undefined;
    if (count === 1) return candidates[0];
    return this.pick(candidates, count, inv);
  }

  /** Chooses among `candidates[0..count)`, count >= 2, all available and not excluded. */
  protected abstract pick(candidates: readonly Invoker[], count: number, inv: Invocation): Invoker;

  /** Fills `weights[0..count)` with each candidate's weight, warm-up applied; returns the total. */
  protected loadWeights(candidates: readonly Invoker[], count: number): number {
    const weights = this.weights;
    let total = 0;
    if (this.warmupMs === 0) {
      for (let i = 0; i < count; i++) {
        const w = candidates[i].weight;
        const weight = w > 0 ? w : 0;
        weights[i] = weight;
        total += weight;
      }
      return total;
    }
    const now = this.clock.now();
    for (let i = 0; i < count; i++) {
      const invoker = candidates[i];
      const start = this.startTimeOf(invoker);
      const w = invoker.weight;
      const weight = start === undefined ? (w > 0 ? w : 0) : warmupWeight(w, now - start, this.warmupMs);
      weights[i] = weight;
      total += weight;
    }
    return total;
  }

  /**
   * Weighted random among `n` candidates: those at `indexes[0..n)`, or the first n when
   * `indexes` is null. Reads `weights` (call `loadWeights` first). Equal weights, or all zero,
   * fall back to a uniform pick.
   */
  protected pickWeighted(candidates: readonly Invoker[], indexes: readonly number[] | null, n: number): Invoker {
    const weights = this.weights;
    const first = weights[indexes === null ? 0 : indexes[0]];
    let total = 0;
    let same = true;
    for (let k = 0; k < n; k++) {
      const w = weights[indexes === null ? k : indexes[k]];
      total += w;
      if (w !== first) same = false;
    }
    if (same || !(total > 0)) return candidates[indexes === null ? this.uniform(n) : indexes[this.uniform(n)]];
    let r = this.random() * total;
    let lastPositive = indexes === null ? 0 : indexes[0];
    for (let k = 0; k < n; k++) {
      const at = indexes === null ? k : indexes[k];
      const w = weights[at];
      if (w <= 0) continue;
      r -= w;
      if (r < 0) return candidates[at];
      lastPositive = at;
    }
    // Rounding left r a hair above zero: the last candidate with weight takes it.
    return candidates[lastPositive];
  }

  /** A uniform index in 0..n-1, safe against a source that returns 1. */
  protected uniform(n: number): number {
    const k = Math.floor(this.random() * n);
    return k < n ? k : n - 1;
  }
}

function isEligible(invoker: Invoker, exclusion: InvokerExclusion | undefined): boolean {
  return invoker.available && (exclusion === undefined || !exclusion.excludes(invoker));
}
