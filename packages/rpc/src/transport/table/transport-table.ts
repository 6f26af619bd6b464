import { HttpClientTransport } from '../http/http-client-transport.js';
import type { HttpEndpointConfig } from '../http/http-endpoint.js';
import { HttpServerTransport, type HttpServerConfig } from '../http/http-server.js';
import { TcpClientTransport, type TcpClientConfig } from '../tcp/tcp-client-transport.js';
import { TcpServerTransport, type TcpServerConfig } from '../tcp/tcp-server.js';
import type { ClientTransport, ServerTransport } from '../transport.js';

/** What a provider's listener is made from, whatever its transport (http's bodies are bound by tcp.maxFrameBytes too). */
export type ServerTransportConfig = TcpServerConfig & HttpServerConfig;

/** What a client's side of a transport is made from, whatever the transport. */
export type ClientTransportConfig = TcpClientConfig & HttpEndpointConfig;

/** One transport: its provider side, its consumer side, and how a provider of it is written. */
export interface TransportRow {
  /** The provider's listener. */
  server(config: ServerTransportConfig): ServerTransport;
  /** A client's side of the transport, which makes its endpoints to providers. */
  client(config: ClientTransportConfig): ClientTransport;
  /**
   * The address form: how a provider listening at host and port is written in a reference's
   * `addresses`, in RpcServer.address and in errors, and the key of its endpoint in a client.
   */
  address(host: string, port: number): string;
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The transports, one row each, by the name a provider is started with (`transport`) and
 * announced under in the registry (its URL's protocol). A bare host:port is tcp.
 */
export const TRANSPORTS = {
  tcp: {
    server: (config: ServerTransportConfig): ServerTransport => new TcpServerTransport(config),
    client: (config: ClientTransportConfig): ClientTransport => new TcpClientTransport(config),
    address: hostPort,
  },
  http: {
    server: (config: ServerTransportConfig): ServerTransport => new HttpServerTransport(config),
    client: (config: ClientTransportConfig): ClientTransport => new HttpClientTransport(config),
    address: (host: string, port: number): string => `http://${hostPort(host, port)}`,
  },
} as const satisfies Readonly<Record<string, TransportRow>>;

export type TransportName = keyof typeof TRANSPORTS;

export const TRANSPORT_NAMES = Object.keys(TRANSPORTS) as readonly TransportName[];

/** The transport of an address written without one (host:port). */
export const DEFAULT_TRANSPORT: TransportName = 'tcp';

export function isTransportName(name: string): name is TransportName {
  return Object.hasOwn(TRANSPORTS, name);
}

/** A client's side of every transport, made once per client. */
export function clientTransports(config: ClientTransportConfig): { readonly [N in TransportName]: ClientTransport } {
  const clients: Partial<Record<TransportName, ClientTransport>> = {};
  for (const name of TRANSPORT_NAMES) clients[name] = TRANSPORTS[name].client(config);
  return clients as Record<TransportName, ClientTransport>;
}
