import type { Clock, Logger } from '@paddock/edges';
import { EndpointGroup } from '../endpoint-group.js';
import { Heartbeat } from '../heartbeat.js';
import type { ClientEndpoint, ClientTransport, HostPort } from '../transport.js';
import { TcpEndpoint, type TcpEndpointConfig } from './tcp-endpoint.js';
import type { ResolvedTcpOptions } from './tcp-options.js';

export interface TcpClientConfig {
  readonly tcp: ResolvedTcpOptions;
  /** Connections per provider address; undefined: one. */
  readonly connections: number | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Random source in [0, 1) for reconnect jitter. */
  readonly random: () => number;
}

/**
 * tcp on a consumer, for one client: one heartbeat timer over all its connections, and to each
 * provider one pipelined connection, or a group of `connections` taking calls round robin.
 */
export class TcpClientTransport implements ClientTransport {
  private readonly connections: number;
  private readonly endpointConfig: TcpEndpointConfig;

  constructor(config: TcpClientConfig) {
    const { tcp, clock, logger, random } = config;
    this.connections = config.connections ?? 1;
    this.endpointConfig = { tcp, clock, logger, random, heartbeat: new Heartbeat(clock, tcp.heartbeatMs, tcp.heartbeatMisses) };
  }

  endpoint(address: string, at: HostPort): ClientEndpoint {
    const n = this.connections;
    if (n === 1) return new TcpEndpoint(address, at, this.endpointConfig);
    return new EndpointGroup(address, Array.from({ length: n }, () => new TcpEndpoint(address, at, this.endpointConfig)));
  }
}
