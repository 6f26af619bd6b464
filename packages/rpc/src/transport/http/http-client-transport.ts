import type { ClientEndpoint, ClientTransport } from '../transport.js';
import { HttpEndpoint, type HttpEndpointConfig } from './http-endpoint.js';

/** http on a consumer, for one client: to each provider an undici pool of `connections` keep-alive sockets (HttpEndpoint). */
export class HttpClientTransport implements ClientTransport {
  constructor(private readonly config: HttpEndpointConfig) {}

  /** `address` is the provider's origin, http://host:port. */
  endpoint(address: string): ClientEndpoint {
    return new HttpEndpoint(address, this.config);
  }
}
