import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import { ClusterBase } from './cluster-base.js';

/**
 * One attempt; a failure (no provider, timeout, remote error, anything) is logged at warn and
 * the call resolves to undefined (for calls whose result does not matter, such as audit logs).
 */
export class FailsafeCluster extends ClusterBase {
  readonly name = 'failsafe';

  async invoke(invokers: readonly Invoker[], inv: Invocation): Promise<unknown> {
    try {
      this.checkDeadline(inv);
      return await this.call(this.select(invokers, inv, this.exclusion), inv);
    } catch (err) {
      this.logger.warn({ service: inv.service, method: inv.method, err }, 'failsafe: call failed; returning undefined');
      return undefined;
    }
  }
}
