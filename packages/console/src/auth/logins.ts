import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Coordination } from '../coordination.js';
import { HttpError } from '../http-error.js';

/** Who is logged in to the console, and the session their changes are made on. */
export interface Login {
  readonly id: string;
  /** Sent back in the x-paddock-csrf header with every change (the cookie alone is not enough). */
  readonly csrf: string;
  /** For the log: `token` or `digest:<user>`. */
  readonly who: string;
  /** A digest identity's own session, closed with the login; null: the shared session. */
  readonly own: Coordination | null;
  lastUsed: number;
}

/** Logged-in browsers at once; the oldest idle one goes when a new one comes. */
const MAX_LOGINS = 32;
/** A login nobody used for this long is forgotten (and its session closed). */
const IDLE_MS = 30 * 60_000;

export const COOKIE = 'paddock_console';
export const CSRF_HEADER = 'x-paddock-csrf';

/** Constant-time equality of two secrets, of any lengths. */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const newId = (): string => randomBytes(24).toString('base64url');

/** The table of logins, bounded in count and idle time. */
export class Logins {
  private readonly byId = new Map<string, Login>();

  constructor(private readonly now: () => number = Date.now) {}

  async add(who: string, own: Coordination | null): Promise<Login> {
    await this.sweep();
    if (this.byId.size >= MAX_LOGINS) {
      const oldest = [...this.byId.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (oldest) await this.remove(oldest.id);
    }
    const login: Login = { id: newId(), csrf: newId(), who, own, lastUsed: this.now() };
    this.byId.set(login.id, login);
    return login;
  }

  /** The login the cookie names, if it is still valid. */
  find(id: string | undefined): Login | null {
    if (id === undefined) return null;
    const login = this.byId.get(id);
    if (!login || this.now() - login.lastUsed > IDLE_MS) return null;
    login.lastUsed = this.now();
    return login;
  }

  async remove(id: string): Promise<void> {
    const login = this.byId.get(id);
    if (!login) return;
    this.byId.delete(id);
    await login.own?.close().catch(() => undefined);
  }

  async sweep(): Promise<void> {
    for (const login of [...this.byId.values()]) {
      if (this.now() - login.lastUsed > IDLE_MS) await this.remove(login.id);
    }
  }

  async close(): Promise<void> {
    for (const id of [...this.byId.keys()]) await this.remove(id);
  }
}

/** The cookie's value from a Cookie header, if present. */
export function cookieValue(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** HttpOnly: page scripts cannot read it; SameSite=Strict: other sites' requests do not carry it. */
export function setCookie(id: string): string {
  return `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/console; Max-Age=${IDLE_MS / 1000}`;
}

export function clearCookie(): string {
  return `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/console; Max-Age=0`;
}

export const NO_CREDENTIAL = new HttpError(401, 'NO_CREDENTIAL',
  'changes need a credential: log in with the console token or a digest identity (user:password)');
