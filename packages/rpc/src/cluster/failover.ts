import { checkOption } from '@paddock/edges';
import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import { RpcError } from '../call/rpc-error.js';
import type { ClusterOptions } from './cluster.js';
import { ClusterBase, UsedExclusion } from './cluster-base.js';

const DEFAULT_RETRIES = 2;
const MAX_RETRIES = 10;

/**
 * On failure, try another provider: up to `retries` more attempts, only for retryable errors,
 * of idempotent methods or attempts that provably never ran (RpcError.mayRetry), and only while
 * the deadline has not passed. A
 * provider already tried in this call is not tried again while untried ones are eligible. When
 * the attempts run out, or the deadline passes, the last error is thrown.
 */
export class FailoverCluster extends ClusterBase {
  readonly name = 'failover';
  readonly retries: number;

  constructor(options: ClusterOptions) {
    super(options);
    this.retries = checkOption.int('retries', options.retries ?? DEFAULT_RETRIES, 0, MAX_RETRIES);
  }

  async invoke(invokers: readonly Invoker[], inv: Invocation): Promise<unknown> {
    this.checkDeadline(inv);
    const first = this.select(invokers, inv, this.exclusion);
    try {
      return await this.call(first, inv);
    } catch (e) {
      if (this.retries === 0 || !RpcError.mayRetry(e, inv.idempotent)) throw e;
      return this.retry(invokers, inv, first, e);
    }
  }

  /** The slow path, after a first attempt failed with a retryable error. */
  private async retry(invokers: readonly Invoker[], inv: Invocation, first: Invoker, error: unknown): Promise<unknown> {
    const used = new UsedExclusion(first, this.breakers);
    let last = error;
    for (let attempt = 1; attempt <= this.retries; attempt++) {
      if (this.clock.now() >= inv.deadline) break;
      // Untried providers first; once all have been tried, any eligible one again.
      const next = this.loadBalance.select(invokers, inv, used) ?? this.loadBalance.select(invokers, inv, this.exclusion);
      if (next === undefined) break;
      used.used.push(next);
      this.logger.debug(
        { service: inv.service, method: inv.method, attempt, provider: next.id, code: (last as RpcError).code },
        'failover: retrying on another provider',
      );
      try {
        return await this.call(next, inv);
      } catch (e) {
        last = e;
        if (!RpcError.mayRetry(e, inv.idempotent)) break;
      }
    }
    throw last;
  }
}
