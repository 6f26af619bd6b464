import { delimitedHost, javaHostString } from './java-host.js';

export type QuorumRole = 'participant' | 'observer';

/** One address of a server: where it takes learners (quorum port) and election connections. */
export interface QuorumAddress {
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
}

export interface ClientAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * A `server.N=…` line as ZooKeeper 3.8's QuorumPeer.QuorumServer reads it. Hosts are kept in
 * ZooKeeper's printed form (see javaHostString); `client` only when the line gives one.
 */
export interface QuorumServerSpec {
  readonly id: number;
  readonly addresses: readonly QuorumAddress[];
  readonly role: QuorumRole;
  readonly client?: ClientAddress;
}

/** Why a server.N value is refused; the caller adds the file and line. */
export class ServerSpecError extends Error {
  override readonly name = 'ServerSpecError';
}

/** ZooKeeper's own wording for a line of the wrong shape. */
const FORM = 'expected host:quorumPort:electionPort[:participant|:observer] (several joined by |, the last may carry the role) then optionally ;[clientHost:]clientPort';

/**
 * Parses the value of `server.<id>` exactly as ZooKeeper 3.8 splits it: `;` separates the
 * client part (trailing empty parts dropped, as Java's split does), `|` separates addresses
 * (a trailing `|` ignored), `[...]` brackets an IPv6 host, and the value is taken as written:
 * ZooKeeper does not trim it, so a space before or after a port makes the port unreadable
 * (only the role word is trimmed and case-folded). Refused with ServerSpecError naming the part.
 */
export function parseServerSpec(id: number, value: string, multiAddress: boolean): QuorumServerSpec {
  const parts = dropTrailingEmpty(value.split(';'));
  if (parts.length === 0 || parts.length > 2) throw new ServerSpecError(`${FORM}; got "${value}"`);
  const serverParts = dropTrailingEmpty(parts[0]!.split('|'));
  if (serverParts.length === 0) throw new ServerSpecError(`${FORM}; got "${value}"`);
  if (serverParts.length > 1 && !multiAddress) {
    throw new ServerSpecError(`several addresses (|) need multiAddress.enabled=true; got "${value}"`);
  }
  const client = parts.length === 2 ? clientAddress(parts[1]!) : undefined;
  let role: QuorumRole | undefined;
  const addresses: QuorumAddress[] = [];
  for (const text of serverParts) {
    const fields = hostAndPorts(text);
    if (fields.length < 3 || fields.length > 4) throw new ServerSpecError(`${FORM}; got "${text}"`);
    const [host, quorum, election, roleText] = fields as [string, string, string, string?];
    const address = { host: javaHostString(host), quorumPort: port('quorum port', quorum, 1), electionPort: port('election port', election, 1) };
    if (address.quorumPort === address.electionPort) {
      throw new ServerSpecError(`quorum port and election port must differ; both are ${address.quorumPort}`);
    }
    if (addresses.some((a) => a.host === address.host && a.quorumPort === address.quorumPort && a.electionPort === address.electionPort)) {
      throw new ServerSpecError(`the address ${text} is given twice`);
    }
    addresses.push(address);
    if (roleText !== undefined) {
      const r = roleOf(roleText);
      if (role !== undefined && role !== r) throw new ServerSpecError(`the addresses give different roles: ${role} and ${r}`);
      role = r;
    }
  }
  return { id, addresses, role: role ?? 'participant', ...(client ? { client } : {}) };
}

function dropTrailingEmpty(parts: string[]): string[] {
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function roleOf(text: string): QuorumRole {
  const r = text.trim().toLowerCase();
  if (r === 'participant' || r === 'observer') return r;
  throw new ServerSpecError(`unknown role "${text}" (participant or observer)`);
}

/** ZooKeeper's ConfigUtils.getHostAndPort: `[v6host]:a:b` or `host:a:b`. */
function hostAndPorts(text: string): string[] {
  if (!text.startsWith('[')) return text.split(':');
  const close = text.indexOf(']');
  if (close < 0) throw new ServerSpecError(`"${text}" starts with [ but has no matching ]`);
  if (text[close + 1] !== ':' || close + 2 >= text.length) throw new ServerSpecError(`"${text}" has no port after ]`);
  return [text.slice(1, close), ...text.slice(close + 2).split(':')];
}

/** `port` or `host:port`; without a host the client port listens on every address, as ZooKeeper's 0.0.0.0. */
function clientAddress(text: string): ClientAddress {
  const fields = hostAndPorts(text);
  if (fields.length > 2) throw new ServerSpecError(`the client part must be port or host:port; got "${text}"`);
  const host = fields.length === 2 ? fields[0]! : '0.0.0.0';
  return { host: javaHostString(host), port: port('client port', fields[fields.length - 1]!, 1) };
}

/** Java's Integer.parseInt (an optional +, decimal digits), then a port range. */
function port(what: string, text: string, min: number): number {
  if (!/^\+?\d{1,10}$/.test(text)) {
    const hint = text.trim() !== text ? ' (ZooKeeper reads server lines as written: remove the spaces)' : '';
    throw new ServerSpecError(`${what} "${text}" is not a number${hint}`);
  }
  const n = Number(text);
  if (n < min || n > 65535) throw new ServerSpecError(`${what} ${n} is out of range ${min}..65535`);
  return n;
}

/**
 * A server's addresses in the order ZooKeeper's MultipleAddresses keeps them (sorted by host,
 * ports following their host): the order of its config line, `conf`'s ports and the admin views.
 */
export function addressesInJavaOrder(s: QuorumServerSpec): readonly QuorumAddress[] {
  return [...s.addresses].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

/** The value ZooKeeper's QuorumServer.toString prints (its /zookeeper/config line after `server.N=`). */
export function formatServerSpec(s: QuorumServerSpec): string {
  const addresses = addressesInJavaOrder(s).map((a) => `${delimitedHost(a.host)}:${a.quorumPort}:${a.electionPort}`).join('|');
  const client = s.client ? `;${delimitedHost(s.client.host)}:${s.client.port}` : '';
  return `${addresses}:${s.role}${client}`;
}

/** The id of a `server.<id>` key: a decimal number, as Java's Long.parseLong reads it, 0 or more. */
export function serverIdOf(key: string): number {
  const text = key.slice('server.'.length);
  if (!/^\+?\d{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ServerSpecError(`server id "${text}" is not a number from 0 to ${Number.MAX_SAFE_INTEGER}`);
  }
  return Number(text);
}
