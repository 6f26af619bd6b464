import type { RpcClock } from '../transport/clock.js';
import type { RpcLogger } from '../transport/logger.js';
import { Heartbeat } from '../transport/heartbeat.js';
import { createEndpoint } from '../transport/http/endpoint-factory.js';
import type { ResolvedTcpOptions } from '../transport/tcp/tcp-options.js';
import type { ClientEndpoint } from '../transport/transport.js';

export interface PoolConfig {
  readonly tcp: ResolvedTcpOptions;
  /** Connections per address; undefined: the transport's default. */
  readonly connections: number | undefined;
  readonly clock: RpcClock;
  readonly logger: RpcLogger;
  readonly random: () => number;
}

interface Entry {
  readonly endpoint: ClientEndpoint;
  refs: number;
}

/** One endpoint per provider address (its transport from the address's scheme: tcp by default, or http://) for a whole client, shared by its references, with one heartbeat timer. */
export class EndpointPool {
  private readonly entries = new Map<string, Entry>();
  private readonly heartbeat: Heartbeat;

  constructor(private readonly config: PoolConfig) {
    this.heartbeat = new Heartbeat(config.clock, config.tcp.heartbeatMs, config.tcp.heartbeatMisses);
  }

  acquire(address: string): ClientEndpoint {
    let entry = this.entries.get(address);
    if (entry === undefined) {
      entry = { endpoint: createEndpoint(address, { ...this.config, heartbeat: this.heartbeat }), refs: 0 };
      this.entries.set(address, entry);
    }
    entry.refs++;
    return entry.endpoint;
  }

  release(address: string): void {
    const entry = this.entries.get(address);
    if (entry === undefined || --entry.refs > 0) return;
    this.entries.delete(address);
    entry.endpoint.close();
  }

  /** The endpoint of an address, if one is open (for stats and tests). */
  get(address: string): ClientEndpoint | undefined {
    return this.entries.get(address)?.endpoint;
  }

  closeAll(): void {
    for (const { endpoint } of this.entries.values()) endpoint.close();
    this.entries.clear();
  }
}
