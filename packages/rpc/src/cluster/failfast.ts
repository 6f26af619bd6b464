import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import { ClusterBase } from './cluster-base.js';

/** One attempt; any failure goes straight to the caller (for non-idempotent writes). */
export class FailfastCluster extends ClusterBase {
  readonly name = 'failfast';

  async invoke(invokers: readonly Invoker[], inv: Invocation): Promise<unknown> {
    this.checkDeadline(inv);
    return this.call(this.select(invokers, inv, this.exclusion), inv);
  }
}
