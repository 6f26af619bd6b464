import { seedFromEnv } from '@paddock/edges';
import type { Invocation } from '../../call/invocation.js';
import type { Invoker } from '../../call/invoker.js';
import type { LoadBalance } from '../load-balance.js';
import { invocation } from './fake-invoker.js';

/**
 * The seed for the statistical tests: fixed, so runs are reproducible; LB_SEED overrides it to
 * explore or to replay a failure. Every statistical assertion prints it.
 */
export const LB_SEED = seedFromEnv('LB_SEED', 20_260_501);

/** The message a failing statistical assertion prints. */
export function replay(what: string, seed: number = LB_SEED): string {
  return `${what} (replay with LB_SEED=${seed})`;
}

/** Picks per invoker id over `n` selections. */
export function countPicks(lb: LoadBalance, invokers: readonly Invoker[], n: number, inv: Invocation = invocation()): Map<string, number> {
  const counts = new Map<string, number>();
  for (const invoker of invokers) counts.set(invoker.id, 0);
  for (let i = 0; i < n; i++) {
    const picked = lb.select(invokers, inv);
    if (picked === undefined) throw new Error('select returned undefined');
    counts.set(picked.id, (counts.get(picked.id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Five standard deviations of a binomial share: a correct balancer stays inside this bound
 * except about once in 1.7 million tries, so a failure means a bug, not bad luck.
 */
export function shareTolerance(p: number, n: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / n);
}

/** Prints measured shares when LB_VERBOSE is set (for reports); quiet otherwise. */
export function report(label: string, counts: Map<string, number>, n: number): void {
  if (process.env.LB_VERBOSE === undefined) return;
  const shares = [...counts].map(([id, c]) => `${id}=${((100 * c) / n).toFixed(2)}%`).join(' ');
  console.log(`${label}: ${shares} over ${n}`);
}
