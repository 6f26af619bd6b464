import { Code, KeeperError } from '@paddock/coord-protocol';
import { badArguments } from './errors.js';

/** A caller awaiting an outcome with no value. */
export interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/** Credentials of the session, each with the addAuth calls waiting for the server's answer. */
export interface AuthEntry {
  readonly scheme: string;
  readonly auth: Buffer;
  readonly waiters: Waiter[];
}

/** Credentials are a handful per session; more is a leak in the caller. */
const MAX_AUTH_ENTRIES = 64;

/**
 * The credentials a session has added, re-sent first on every connection (ZooKeeper's
 * authInfo). Servers answer auth packets as soon as they read them, ahead of earlier requests,
 * so their replies are matched here, oldest first, not in the request queue.
 */
export class AuthStore {
  private readonly entries: AuthEntry[] = [];
  private inFlight: AuthEntry[] = [];

  /** Remembers credentials; the promise settles when a server has accepted or refused them. */
  add(scheme: string, auth: Buffer): { entry: AuthEntry; accepted: Promise<void> } | { error: KeeperError } {
    if (this.entries.length >= MAX_AUTH_ENTRIES) {
      return { error: badArguments(`more than ${MAX_AUTH_ENTRIES} addAuth credentials on one session`) };
    }
    let entry!: AuthEntry;
    const accepted = new Promise<void>((resolve, reject) => {
      entry = { scheme, auth, waiters: [{ resolve, reject }] };
    });
    this.entries.push(entry);
    return { entry, accepted };
  }

  all(): readonly AuthEntry[] {
    return this.entries;
  }

  sent(entry: AuthEntry): void {
    this.inFlight.push(entry);
  }

  /** Settles the oldest auth in flight with the server's code; a refused one is forgotten. */
  answered(err: number): AuthEntry | undefined {
    const entry = this.inFlight.shift();
    if (!entry) return undefined;
    if (err !== Code.OK) this.entries.splice(this.entries.indexOf(entry), 1);
    for (const w of entry.waiters.splice(0)) {
      if (err === Code.OK) w.resolve();
      else w.reject(new KeeperError(err));
    }
    return entry;
  }

  /** The connection went away: nothing is in flight; waiters wait for the re-send. */
  connectionLost(): void {
    this.inFlight = [];
  }

  /** The session is over: every waiter fails with its code. */
  failAll(code: number): void {
    for (const entry of this.entries) for (const w of entry.waiters.splice(0)) w.reject(new KeeperError(code));
  }
}
