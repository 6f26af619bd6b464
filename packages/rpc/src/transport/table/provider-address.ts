import { OptionError } from '@paddock/edges';
import type { HostPort } from '../transport.js';
import { DEFAULT_TRANSPORT, TRANSPORTS, TRANSPORT_NAMES, isTransportName, type TransportName } from './transport-table.js';

/** A provider as a client's endpoints are keyed and made: its transport, host and port. */
export interface ProviderAddress extends HostPort {
  readonly protocol: TransportName;
}

/** `at` in its transport's address form (tcp: host:port, http: http://host:port). */
export function formatProviderAddress(at: ProviderAddress): string {
  return TRANSPORTS[at.protocol].address(at.host, at.port);
}

/**
 * An address as a reference is given it (its `addresses` option): `host:port` or `[v6]:port`
 * (tcp), or `<transport>://host:port[/]`; throws an OptionError naming a bad address.
 */
export function parseProviderAddress(address: string): ProviderAddress {
  if (typeof address !== 'string') badAddress(address, `bad provider address ${String(address)}: expected host:port or http://host:port`);
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)\/?$/i.exec(address);
  const protocol = m ? (m[1] as string).toLowerCase() : DEFAULT_TRANSPORT;
  if (!isTransportName(protocol)) badAddress(address, `bad provider address ${JSON.stringify(address)}: transport must be one of ${TRANSPORT_NAMES.join(', ')}`);
  return { protocol, ...parseHostPort(m ? (m[2] as string) : address) };
}

function parseHostPort(text: string): HostPort {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) badAddress(text, `bad provider address ${JSON.stringify(text)}: expected host:port`);
  return { host: (m[1] ?? m[2]) as string, port };
}

function badAddress(address: unknown, message: string): never {
  throw new OptionError('addresses', address, { message });
}
