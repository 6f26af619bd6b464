import type { Invocation } from '../invocation.js';
import type { Invoker } from '../invoker.js';
import type { CallTarget, ClientEndpoint } from '../transport/transport.js';

/** An Invoker for one reference on one provider endpoint: the endpoint is shared, the active count is this reference's. */
export class EndpointInvoker implements Invoker {
  active = 0;
  /** Called when the last call in flight finishes (a directory closes a removed provider's invoker then). */
  onIdle: (() => void) | null = null;

  /**
   * `weight` is the provider URL's after overrides; a registry directory updates it in place, so
   * counters kept by id (round robin, least active) carry over. `timestamp` is when the provider
   * started (its URL's), read by balancers for warm-up.
   */
  constructor(
    readonly id: string,
    readonly endpoint: ClientEndpoint,
    private readonly target: CallTarget,
    public weight: number,
    readonly timestamp?: number,
  ) {}

  get available(): boolean {
    return this.endpoint.available;
  }

  async invoke(inv: Invocation): Promise<unknown> {
    this.active++;
    try {
      return await this.endpoint.call(inv, this.target);
    } finally {
      if (--this.active === 0 && this.onIdle !== null) this.onIdle();
    }
  }
}
