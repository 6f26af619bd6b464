/**
 * IPv4 addresses and `addr/bits` expressions read the way ZooKeeper 3.8's ip scheme reads them:
 * exactly four dot-separated parts, each parsed like Java's Integer.parseInt (an optional sign,
 * leading zeros and any BMP decimal digit allowed) and in 0..255; a prefix length parsed the
 * same way, in 0..32. IPv6 is not understood (such ACLs are invalid, such clients never match).
 */

const DIGIT = /^\p{Nd}$/u;

/** The value of one BMP decimal digit: Unicode keeps each script's 0–9 contiguous, 0 first. */
function digitValue(ch: string): number {
  let zero = ch.charCodeAt(0);
  while (zero > 0 && DIGIT.test(String.fromCharCode(zero - 1))) zero--;
  return (ch.charCodeAt(0) - zero) % 10;
}

/** Java's Integer.parseInt(s) in radix 10; null where it would throw. */
export function javaParseInt(s: string): number | null {
  const sign = s[0] === '-' ? -1 : 1;
  const digits = s[0] === '-' || s[0] === '+' ? s.slice(1) : s;
  if (digits.length === 0) return null;
  let v = 0;
  for (const ch of digits) {
    // A supplementary digit is two UTF-16 units to Java, neither of them a digit.
    if (ch.length !== 1 || !DIGIT.test(ch)) return null;
    v = v * 10 + digitValue(ch);
    if (v > 2 ** 31) return null;
  }
  return sign < 0 || v < 2 ** 31 ? sign * v : null;
}

/** The four bytes of `a.b.c.d`, or null when ZooKeeper would not parse it. */
function ipv4Bytes(addr: string): number[] | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    const v = javaParseInt(p);
    if (v === null || v < 0 || v > 255) return null;
    bytes.push(v);
  }
  return bytes;
}

export interface IpRange {
  readonly bytes: readonly number[];
  readonly bits: number;
}

/** An ip ACL id `addr` or `addr/bits`, or null when it is invalid. */
export function parseIpRange(expr: string): IpRange | null {
  const slash = expr.indexOf('/');
  const bytes = ipv4Bytes(slash < 0 ? expr : expr.slice(0, slash));
  if (!bytes) return null;
  const bits = slash < 0 ? 32 : javaParseInt(expr.slice(slash + 1));
  if (bits === null || bits < 0 || bits > 32) return null;
  return { bytes, bits };
}

/** Whether `addr` lies in `range` (both masked to the range's prefix length). */
export function inRange(addr: string, range: IpRange): boolean {
  const have = ipv4Bytes(addr);
  if (!have) return false;
  for (let i = 0; i < 4; i++) {
    const maskBits = Math.max(0, Math.min(8, range.bits - i * 8));
    const mask = (0xff << (8 - maskBits)) & 0xff;
    if ((have[i]! & mask) !== (range.bytes[i]! & mask)) return false;
  }
  return true;
}
