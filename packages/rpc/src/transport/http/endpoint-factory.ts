import type { RpcClock } from '../clock.js';
import type { RpcLogger } from '../logger.js';
import type { Heartbeat } from '../heartbeat.js';
import { TcpEndpoint, parseAddress } from '../tcp/tcp-endpoint.js';
import type { ResolvedTcpOptions } from '../tcp/tcp-options.js';
import { EndpointGroup } from '../endpoint-group.js';
import type { ClientEndpoint } from '../transport.js';
import { HttpEndpoint } from './http-endpoint.js';

export interface EndpointConfig {
  readonly tcp: ResolvedTcpOptions;
  /** Connections per address: tcp endpoints in a group, or the http pool's sockets; undefined: the transport's default. */
  readonly connections: number | undefined;
  readonly clock: RpcClock;
  readonly logger: RpcLogger;
  readonly heartbeat: Heartbeat;
  readonly random: () => number;
}

/** One tcp connection (pipelined), or a group of `connections` taking calls round robin. */
function tcpEndpoint(hostPort: string, c: EndpointConfig): ClientEndpoint {
  const n = c.connections ?? 1;
  if (n === 1) return new TcpEndpoint(hostPort, c);
  return new EndpointGroup(hostPort, Array.from({ length: n }, () => new TcpEndpoint(hostPort, c)));
}

/** Consumer transports by URL scheme; a bare host:port is tcp. */
const SCHEMES = {
  'tcp:': tcpEndpoint,
  'http:': (hostPort: string, c: EndpointConfig): ClientEndpoint => new HttpEndpoint(`http://${hostPort}`, c),
} as const;

type Scheme = keyof typeof SCHEMES;

/** `host:port`, `tcp://host:port` or `http://host:port[/]`; throws a TypeError naming a bad address. */
export function parseProviderAddress(address: string): { scheme: Scheme; hostPort: string } {
  if (typeof address !== 'string') throw new TypeError(`bad provider address ${String(address)}: expected host:port or http://host:port`);
  const m = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]+)\/?$/i.exec(address);
  const scheme = (m ? (m[1] as string).toLowerCase() : 'tcp:') as Scheme;
  if (!(scheme in SCHEMES)) throw new TypeError(`bad provider address ${JSON.stringify(address)}: transport must be one of ${Object.keys(SCHEMES).map((s) => s.slice(0, -1)).join(', ')}`);
  const hostPort = m ? (m[2] as string) : address;
  parseAddress(hostPort);
  return { scheme, hostPort };
}

/** The endpoint for a provider address, its transport picked from the scheme. */
export function createEndpoint(address: string, config: EndpointConfig): ClientEndpoint {
  const { scheme, hostPort } = parseProviderAddress(address);
  return SCHEMES[scheme](hostPort, config);
}
