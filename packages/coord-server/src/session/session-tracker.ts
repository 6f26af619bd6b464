import { randomBytes } from 'node:crypto';
import type { Clock } from '@paddock/edges';
import { CONTAINER_OWNER } from '../tree/ephemeral-type.js';

/** The connection a session is attached to, as far as the tracker cares. */
export interface SessionOwner {
  close(reason: string): void;
}

export interface Session {
  readonly id: bigint;
  readonly passwd: Buffer;
  timeout: number;
  /** Monotonic ms at which the session expires unless touched; a multiple of tickTime. */
  expiresAt: number;
  /** Set once a closeSession is on its way: no new requests, no touches. */
  closing: boolean;
  owner: SessionOwner | null;
}

/**
 * Sessions and their expiry, bucketed by tickTime as ZooKeeper's ExpiryQueue: a touch moves a
 * session to the bucket of `now + timeout` rounded up to the next tick, and each tick expires
 * whole buckets, so expiry costs O(expired) rather than a scan of every session.
 */
export class SessionTracker {
  private readonly sessions = new Map<bigint, Session>();
  private readonly buckets = new Map<number, Set<Session>>();
  private nextExpiry: number;
  private nextId: bigint;

  constructor(private readonly tickTime: number, private readonly clock: Clock, serverId: number) {
    this.nextExpiry = this.roundUp(clock.monotonic());
    this.nextId = SessionTracker.initialId(clock.now(), serverId);
  }

  /** ZooKeeper's layout: server id in the high byte, then time bits, then a counter. */
  static initialId(nowMs: number, serverId: number): bigint {
    let id = BigInt.asIntN(64, (BigInt.asUintN(64, BigInt(nowMs) << 24n) >> 8n) | (BigInt(serverId) << 56n));
    if (id === CONTAINER_OWNER) id++;
    return id;
  }

  newSessionId(): bigint {
    return this.nextId++;
  }

  static newPassword(): Buffer {
    return randomBytes(16);
  }

  private roundUp(t: number): number {
    return (Math.floor(t / this.tickTime) + 1) * this.tickTime;
  }

  add(id: bigint, timeout: number, passwd: Buffer): Session {
    let s = this.sessions.get(id);
    if (!s) {
      s = { id, passwd, timeout, expiresAt: 0, closing: false, owner: null };
      this.sessions.set(id, s);
    }
    this.touch(s);
    return s;
  }

  get(id: bigint): Session | undefined {
    return this.sessions.get(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  all(): IterableIterator<Session> {
    return this.sessions.values();
  }

  /** Pushes the session's expiry out by its timeout; false if it is closing or gone. */
  touch(s: Session, timeout = s.timeout): boolean {
    if (s.closing || !this.sessions.has(s.id)) return false;
    s.timeout = timeout;
    const at = this.roundUp(this.clock.monotonic() + timeout);
    if (at === s.expiresAt) return true;
    this.buckets.get(s.expiresAt)?.delete(s);
    s.expiresAt = at;
    let bucket = this.buckets.get(at);
    if (!bucket) this.buckets.set(at, (bucket = new Set()));
    bucket.add(s);
    return true;
  }

  remove(id: bigint): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    this.buckets.get(s.expiresAt)?.delete(s);
  }

  /**
   * A new ensemble term over the same sessions (as ZooKeeper's leader tracks each session it
   * loads anew): no connection holds one, none is closing (a close not logged never happened),
   * and each gets its whole timeout from now.
   */
  restartAll(): void {
    for (const s of this.sessions.values()) {
      s.owner = null;
      s.closing = false;
      this.touch(s);
    }
  }

  /** Sessions whose bucket has passed; each is marked closing and returned once. */
  takeExpired(): Session[] {
    const now = this.clock.monotonic();
    const out: Session[] = [];
    while (this.nextExpiry <= now) {
      const bucket = this.buckets.get(this.nextExpiry);
      if (bucket) {
        this.buckets.delete(this.nextExpiry);
        for (const s of bucket) {
          s.closing = true;
          out.push(s);
        }
      }
      this.nextExpiry += this.tickTime;
    }
    return out;
  }
}
