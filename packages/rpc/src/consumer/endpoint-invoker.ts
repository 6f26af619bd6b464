import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
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

  invoke(inv: Invocation): Promise<unknown> {
    this.active++;
    let call: Promise<unknown>;
    try {
      call = this.endpoint.call(inv, this.target);
    } catch (err) {
      this.finish();
      return Promise.reject(err);
    }
    return call.then(this.settled, this.failed);
  }

  // Bound once per invoker, not per call: a call costs one derived promise, no closure or async frame.
  private readonly settled = (value: unknown): unknown => {
    this.finish();
    return value;
  };

  private readonly failed = (err: unknown): never => {
    this.finish();
    throw err;
  };

  private finish(): void {
    if (--this.active === 0 && this.onIdle !== null) this.onIdle();
  }
}
