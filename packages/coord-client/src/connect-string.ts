import { pathError } from '@paddock/coord-protocol';
import { badArguments } from './errors.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface ConnectString {
  readonly hosts: readonly HostPort[];
  /** The chroot every path is relative to; null when the string names none (or '/'). */
  readonly chroot: string | null;
}

/** ZooKeeper's client port, used when a host names no port. */
export const DEFAULT_PORT = 2181;
/** An ensemble is a handful of servers; a longer list is a mistake, not a deployment. */
export const MAX_HOSTS = 256;

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9_])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?$/;

function fail(input: string, reason: string): never {
  throw badArguments(`invalid connect string "${input}": ${reason}`);
}

function parsePort(input: string, entry: string, text: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) fail(input, `port "${text}" of "${entry}" is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) fail(input, `port ${port} of "${entry}" is outside 1..65535`);
  return port;
}

/** One `host`, `host:port`, `[v6]` or `[v6]:port` entry. */
function parseHost(input: string, entry: string): HostPort {
  if (entry === '') fail(input, 'empty host entry');
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    const host = close < 0 ? '' : entry.slice(1, close);
    if (!IPV6.test(host)) fail(input, `bad IPv6 address in "${entry}"`);
    const rest = entry.slice(close + 1);
    if (rest === '') return { host, port: DEFAULT_PORT };
    if (!rest.startsWith(':')) fail(input, `unexpected "${rest}" after "[${host}]"`);
    return { host, port: parsePort(input, entry, rest.slice(1)) };
  }
  const colon = entry.indexOf(':');
  if (colon !== entry.lastIndexOf(':')) fail(input, `IPv6 address "${entry}" must be written in brackets`);
  const host = colon < 0 ? entry : entry.slice(0, colon);
  if (!HOSTNAME.test(host)) fail(input, `bad host name "${host}"`);
  return { host, port: colon < 0 ? DEFAULT_PORT : parsePort(input, entry, entry.slice(colon + 1)) };
}

/**
 * Parses ZooKeeper's connect string `h1:p1,h2:p2/chroot`. Each host may omit its port (2181);
 * the chroot applies to the whole ensemble and follows the last host, as in ZooKeeper's
 * ConnectStringParser. Throws a BadArguments KeeperError naming the offending part.
 */
export function parseConnectString(input: string): ConnectString {
  if (typeof input !== 'string') fail(String(input), 'not a string');
  const text = input.trim();
  if (text === '') fail(input, 'no hosts');
  const slash = text.indexOf('/');
  const hostPart = slash < 0 ? text : text.slice(0, slash);
  let chroot: string | null = slash < 0 ? null : text.slice(slash);
  if (chroot !== null) {
    const why = pathError(chroot);
    if (chroot !== '/' && why !== null) fail(input, `bad chroot "${chroot}": ${why}`);
    if (chroot === '/') chroot = null;
  }
  const entries = hostPart.split(',').map((e) => e.trim());
  if (entries.length > MAX_HOSTS) fail(input, `${entries.length} hosts, at most ${MAX_HOSTS} allowed`);
  return { hosts: entries.map((e) => parseHost(input, e)), chroot };
}

export function formatHost(h: HostPort): string {
  return h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`;
}
