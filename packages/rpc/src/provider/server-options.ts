import { networkInterfaces } from 'node:os';
import type { Registry } from '@paddock/registry';
import { OptionError, silentLogger, unrefClock, type Clock, type Logger } from '@paddock/edges';
import { TRANSPORTS, TRANSPORT_NAMES, type TransportName } from '../transport/table/transport-table.js';
import { resolveTcpOptions, type ResolvedTcpOptions, type TcpOptions } from '../transport/tcp/tcp-options.js';
import type { ServerTransport } from '../transport/transport.js';

/** Transports a provider can serve on: the rows of the transport table. */
export type ServerTransportName = TransportName;
export const SERVER_TRANSPORTS: readonly ServerTransportName[] = TRANSPORT_NAMES;

export function createServerTransport(opts: ResolvedServerOptions): ServerTransport {
  const { host, port, tcp, clock, logger, exposeStack } = opts;
  return TRANSPORTS[opts.transport].server({ host, port, tcp, clock, logger, exposeStack });
}

export interface RpcServerOptions {
  /** Where to listen; default 0.0.0.0. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (see `server.port`). */
  readonly port: number;
  /** tcp (default) or http (fastify; JSON or msgpack bodies, so curl can call services). */
  readonly transport?: ServerTransportName;
  /** Registers one provider URL per exported service when given. */
  readonly registry?: Registry;
  /** The host consumers are told to connect to; default `host`, or the first non-internal IPv4 address when listening on all. */
  readonly advertiseHost?: string;
  /** Send the provider's stack with errors thrown by methods; default false. */
  readonly exposeStack?: boolean;
  readonly tcp?: TcpOptions;
  readonly clock?: Clock;
  /** pino or anything with its methods; default silent. */
  readonly logger?: Logger;
}

export interface ResolvedServerOptions {
  readonly host: string;
  readonly port: number;
  readonly transport: ServerTransportName;
  readonly registry: Registry | undefined;
  readonly advertiseHost: string;
  readonly exposeStack: boolean;
  readonly tcp: ResolvedTcpOptions;
  readonly clock: Clock;
  readonly logger: Logger;
}

function firstExternalIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function resolveServerOptions(opts: RpcServerOptions): ResolvedServerOptions {
  if (typeof opts !== 'object' || opts === null) {
    throw new OptionError('options', opts, { message: 'RpcServer.start needs options: { port, host?, registry?, transport? }' });
  }
  const { port } = opts;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new OptionError('port', port, { message: `port must be an integer in 0..65535, got ${String(port)}` });
  const transport = opts.transport ?? 'tcp';
  if (!SERVER_TRANSPORTS.includes(transport)) {
    throw new OptionError('transport', transport, { message: `transport must be one of ${SERVER_TRANSPORTS.join(', ')}, got ${String(transport)}` });
  }
  const host = opts.host ?? '0.0.0.0';
  const wildcard = host === '0.0.0.0' || host === '::';
  return {
    host,
    port,
    transport,
    registry: opts.registry,
    advertiseHost: opts.advertiseHost ?? (wildcard ? firstExternalIPv4() : host),
    exposeStack: opts.exposeStack ?? false,
    tcp: resolveTcpOptions(opts.tcp),
    clock: opts.clock ?? unrefClock,
    logger: opts.logger ?? silentLogger,
  };
}
