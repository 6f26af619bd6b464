import { formatProviderAddress, type ProviderAddress } from '../transport/table/provider-address.js';
import { clientTransports, type ClientTransportConfig, type TransportName } from '../transport/table/transport-table.js';
import type { ClientEndpoint, ClientTransport } from '../transport/transport.js';

/** tcp options, connections per address (undefined: each transport's default), clock, logger and random source of the client. */
export type PoolConfig = ClientTransportConfig;

interface Entry {
  readonly endpoint: ClientEndpoint;
  refs: number;
}

/**
 * One endpoint per provider for a whole client, shared by its references: keyed by the
 * provider's address form, so however a reference spells a provider (h:p, tcp://h:p) and
 * whether it was given or discovered, it is one endpoint. Its transport's client side makes it
 * (one per transport for the client: tcp's holds the client's one heartbeat timer).
 */
export class EndpointPool {
  private readonly entries = new Map<string, Entry>();
  private readonly clients: { readonly [N in TransportName]: ClientTransport };

  constructor(config: PoolConfig) {
    this.clients = clientTransports(config);
  }

  acquire(at: ProviderAddress): ClientEndpoint {
    const address = formatProviderAddress(at);
    let entry = this.entries.get(address);
    if (entry === undefined) {
      entry = { endpoint: this.clients[at.protocol].endpoint(address, at), refs: 0 };
      this.entries.set(address, entry);
    }
    entry.refs++;
    return entry.endpoint;
  }

  release(at: ProviderAddress): void {
    const address = formatProviderAddress(at);
    const entry = this.entries.get(address);
    if (entry === undefined || --entry.refs > 0) return;
    this.entries.delete(address);
    entry.endpoint.close();
  }

  /** The endpoint of a provider, if one is open (for stats and tests). */
  get(at: ProviderAddress): ClientEndpoint | undefined {
    return this.entries.get(formatProviderAddress(at))?.endpoint;
  }

  closeAll(): void {
    for (const { endpoint } of this.entries.values()) endpoint.close();
    this.entries.clear();
  }
}
