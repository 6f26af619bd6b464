import { isIPv6 } from 'node:net';

/**
 * The host as ZooKeeper prints it. ZooKeeper keeps a host as an InetSocketAddress, whose host
 * string is the name as written for a host name but Java's canonical text for an IP literal:
 * `127.0.0.01` and `127.1` become `127.0.0.1`, `::1` becomes `0:0:0:0:0:0:0:1`, and an
 * IPv4-mapped IPv6 address becomes the IPv4 one. The config text must match byte for byte, and
 * two spellings of one address must compare equal, so hosts are kept in this form.
 */
export function javaHostString(host: string): string {
  return ipv4Literal(host) ?? ipv6Literal(host) ?? host;
}

/** Java reads 1 to 4 decimal parts; the last one fills the bytes left (`127.1` is 127.0.0.1). */
function ipv4Literal(host: string): string | undefined {
  if (!/^\d{1,10}(\.\d{1,10}){0,3}$/.test(host)) return undefined;
  const parts = host.split('.').map(Number);
  const last = parts.pop()!;
  if (parts.some((p) => p > 255) || last >= 256 ** (4 - parts.length)) return undefined;
  const bytes = [...parts];
  for (let i = 3 - parts.length; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes.join('.');
}

function ipv6Literal(host: string): string | undefined {
  const [addr = '', scope] = host.split('%', 2);
  if (!isIPv6(addr)) return undefined;
  const groups = ipv6Groups(addr);
  // ::ffff:a.b.c.d is an IPv4 address to Java (an Inet4Address).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return groups.map((g) => g.toString(16)).join(':') + (scope === undefined ? '' : `%${scope}`);
}

/** The eight 16-bit groups of a valid IPv6 literal (`::` expanded, an IPv4 tail split in two). */
function ipv6Groups(addr: string): number[] {
  const half = (text: string): number[] => text === '' ? [] : text.split(':').flatMap((g) => {
    if (!g.includes('.')) return [parseInt(g, 16)];
    const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
    return [a * 256 + b, c * 256 + d];
  });
  const [head = '', tail] = addr.split('::');
  const front = half(head);
  if (tail === undefined) return front;
  const back = half(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** Brackets around an IPv6 host, as ZooKeeper writes host:port. */
export function delimitedHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
