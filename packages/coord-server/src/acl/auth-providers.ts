import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Id } from '@paddock/coord-protocol';

/**
 * Server-side authentication schemes (ZooKeeper's ServerAuthenticationProvider): how an
 * addAuth packet becomes an Id, whether an ACL id is well formed, and whether the scheme
 * names an authenticated identity (what the `auth` ACL scheme expands to).
 */
export interface AuthProvider {
  readonly scheme: string;
  /** The Id an addAuth with this data grants, or null when authentication fails. */
  authenticate(authData: Buffer, remoteAddress: string): Id | null;
  isValid(id: string): boolean;
  readonly isAuthenticated: boolean;
  /** The user an id stands for, as whoAmI reports it. */
  userName(id: string): string;
}

/** `user:base64(sha1(user:password))`, the digest form ZooKeeper stores. */
export function digestOf(userPassword: string): string {
  const user = userPassword.split(':', 1)[0] ?? '';
  return `${user}:${createHash('sha1').update(userPassword, 'utf8').digest('base64')}`;
}

const digest: AuthProvider = {
  scheme: 'digest',
  authenticate: (data) => ({ scheme: 'digest', id: digestOf(data.toString('utf8')) }),
  // As Java's split(":"), which drops trailing empty parts: exactly two parts.
  isValid: (id) => id.replace(/:+$/, '').split(':').length === 2,
  isAuthenticated: true,
  userName: (id) => id.split(':', 1)[0] ?? id,
};

function validIpAcl(id: string): boolean {
  const slash = id.indexOf('/');
  const addr = slash < 0 ? id : id.slice(0, slash);
  const family = isIP(addr);
  if (family === 0) return false;
  if (slash < 0) return true;
  const bitsText = id.slice(slash + 1);
  if (!/^\d+$/.test(bitsText)) return false;
  const bits = Number(bitsText);
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

const ip: AuthProvider = {
  scheme: 'ip',
  authenticate: (_data, remote) => ({ scheme: 'ip', id: remote }),
  isValid: validIpAcl,
  isAuthenticated: false,
  userName: (id) => id,
};

const PROVIDERS = new Map<string, AuthProvider>([digest, ip].map((p) => [p.scheme, p]));

export function authProvider(scheme: string): AuthProvider | undefined {
  return PROVIDERS.get(scheme);
}
