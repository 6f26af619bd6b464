import { createHash } from 'node:crypto';
import type { Id } from '@paddock/coord-protocol';
import { parseIpRange } from './ip-address.js';

/**
 * Server-side authentication schemes (ZooKeeper's ServerAuthenticationProvider): how an
 * addAuth packet becomes an Id, whether an ACL id is well formed, and whether the scheme
 * names an authenticated identity (what the `auth` ACL scheme expands to).
 */
export interface AuthProvider {
  readonly scheme: string;
  /** The Id an addAuth with this data (jute's null included) grants, or null when authentication fails. */
  authenticate(authData: Buffer | null, remoteAddress: string): Id | null;
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
  // ZooKeeper's digest provider fails on null credentials (the exception counts as AuthFailed).
  authenticate: (data) => (data === null ? null : { scheme: 'digest', id: digestOf(data.toString('utf8')) }),
  // As Java's split(":"), which drops trailing empty parts: exactly two parts.
  isValid: (id) => id.replace(/:+$/, '').split(':').length === 2,
  isAuthenticated: true,
  userName: (id) => id.split(':', 1)[0] ?? id,
};

const ip: AuthProvider = {
  scheme: 'ip',
  authenticate: (_data, remote) => ({ scheme: 'ip', id: remote }),
  isValid: (id) => parseIpRange(id) !== null,
  isAuthenticated: false,
  userName: (id) => id,
};

const PROVIDERS = new Map<string, AuthProvider>([digest, ip].map((p) => [p.scheme, p]));

/** The provider of a scheme; none for jute's null scheme, as in ZooKeeper's registry. */
export function authProvider(scheme: string | null): AuthProvider | undefined {
  return scheme === null ? undefined : PROVIDERS.get(scheme);
}
