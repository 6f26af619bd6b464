import { backoffDelay, type BackoffPolicy } from '@paddock/edges';
import type { HostPort } from './connect-string.js';

/**
 * `baseDelayMs`: the first pause after a whole pass over the hosts failed, also the jitter
 * before a reconnect; `maxDelayMs`: the ceiling of the doubling pause between passes.
 */
export type HostBackoff = Pick<BackoffPolicy, 'baseDelayMs' | 'maxDelayMs'>;

export interface NextHost {
  readonly host: HostPort;
  /** How long to wait before trying it. */
  readonly delayMs: number;
}

/** Fisher–Yates with an injected random source, so tests can fix the order. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The hosts of the connect string in a random order fixed at start (so clients spread over the
 * ensemble), tried round-robin (ZooKeeper's StaticHostProvider). A reconnect moves on to the
 * next host. Trying is free within a pass; after every host failed, the pause doubles from
 * `baseDelayMs` up to `maxDelayMs`, with jitter so a fleet of clients does not reconnect in step.
 */
export class HostProvider {
  private readonly hosts: HostPort[];
  private index = 0;
  /** Attempts since the last established session. */
  private failures = 0;

  constructor(hosts: readonly HostPort[], private readonly backoff: HostBackoff, private readonly random: () => number) {
    if (hosts.length === 0) throw new RangeError('no hosts');
    this.hosts = shuffle(hosts, random);
  }

  get count(): number {
    return this.hosts.length;
  }

  /**
   * The host to try next. `afterLoss` marks the first attempt after a working connection
   * dropped: it waits a random moment below `baseDelayMs`, as ZooKeeper's client waits up to
   * a second, so that a server restart is not met by every client at once.
   */
  next(afterLoss: boolean, maxDelayMs = this.backoff.maxDelayMs): NextHost {
    const host = this.hosts[this.index]!;
    this.index = (this.index + 1) % this.hosts.length;
    const n = this.failures++;
    let delayMs = 0;
    if (n === 0) {
      delayMs = afterLoss ? Math.floor(this.random() * this.backoff.baseDelayMs) : 0;
    } else if (n % this.hosts.length === 0) {
      const passes = n / this.hosts.length;
      const cap = Math.min(maxDelayMs, this.backoff.maxDelayMs);
      delayMs = backoffDelay({ baseDelayMs: this.backoff.baseDelayMs, maxDelayMs: cap, jitter: 0.5, rounding: 'down' }, passes - 1, this.random);
    }
    return { host, delayMs };
  }

  /** The hosts other than the one `next()` returned last, in trying order (for read-write probes). */
  others(): HostPort[] {
    const n = this.hosts.length;
    const current = (this.index + n - 1) % n;
    return Array.from({ length: n - 1 }, (_, i) => this.hosts[(current + 1 + i) % n]!);
  }

  /** Makes `host` the next one tried (a read-write server found while read-only). */
  preferNext(host: HostPort): void {
    const i = this.hosts.indexOf(host);
    if (i >= 0) this.index = i;
  }

  /** A session was established: the next failure starts a fresh backoff. */
  onConnected(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
