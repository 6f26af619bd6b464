import type { Invocation } from '../invocation.js';
import type { Invoker } from '../invoker.js';
import type { CallTarget, ClientEndpoint } from '../transport/transport.js';

/** An Invoker for one reference on one provider endpoint: the endpoint is shared, the active count is this reference's. */
export class EndpointInvoker implements Invoker {
  active = 0;

  constructor(readonly id: string, readonly endpoint: ClientEndpoint, private readonly target: CallTarget, readonly weight: number) {}

  get available(): boolean {
    return this.endpoint.available;
  }

  async invoke(inv: Invocation): Promise<unknown> {
    this.active++;
    try {
      return await this.endpoint.call(inv, this.target);
    } finally {
      this.active--;
    }
  }
}
