import { OptionError, checkOption, silentLogger, systemClock, type Clock, type Logger } from '@paddock/edges';
import type { AuthInfo } from './types.js';

export interface RetryOptions {
  /** Pause after a whole pass over the hosts failed, doubling per pass; default 100 ms. */
  readonly baseDelayMs?: number;
  /** Ceiling of that pause; default 2000 ms, and never more than a third of the session timeout. */
  readonly maxDelayMs?: number;
  /**
   * Connection attempts in a row after which the client gives up and closes. Default: no
   * limit, as ZooKeeper's client: only the server may declare a session expired, and a
   * restarted server can still accept it after a long outage.
   */
  readonly maxAttempts?: number;
}

export interface CoordClientOptions {
  /** Requested session timeout in ms (the server clamps it to 2..20 ticks); default 30000. */
  readonly sessionTimeout?: number;
  /** How long `connect()` waits for the first session; default: the session timeout. */
  readonly connectTimeout?: number;
  readonly retry?: RetryOptions;
  /** Credentials sent on connect and re-sent on every reconnect, e.g. {scheme:'digest', auth:'u:p'}. */
  readonly authInfo?: readonly AuthInfo[];
  /** Accept a read-only server when no majority is reachable. */
  readonly canBeReadOnly?: boolean;
  /** pino or anything with the same methods; the client logs nothing without one. */
  readonly logger?: Logger;
  /** Resume this session instead of creating one (needs `sessionPassword`). */
  readonly sessionId?: bigint;
  readonly sessionPassword?: Uint8Array;
  /** Bound on requests queued or awaiting a reply; beyond it calls fail with Throttled. Default 10000. */
  readonly maxQueuedRequests?: number;
  /** Largest frame sent or accepted (jute.maxbuffer); default 4 MiB as ZooKeeper's client. */
  readonly maxFrameBytes?: number;
  /** Time source for timeouts, pings and backoff (tests pass a fake one). */
  readonly clock?: Clock;
  /** Random source in [0, 1) for host order and jitter (tests pass a seeded one). */
  readonly random?: () => number;
}

export interface ResolvedOptions {
  readonly sessionTimeout: number;
  readonly connectTimeout: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  readonly authInfo: readonly AuthInfo[];
  readonly canBeReadOnly: boolean;
  readonly logger: Logger;
  readonly sessionId: bigint;
  readonly sessionPassword: Buffer;
  readonly maxQueuedRequests: number;
  readonly maxFrameBytes: number;
  readonly clock: Clock;
  readonly random: () => number;
}

const INT_MAX = 0x7fffffff;
/** A session id is 64 bits on the wire. */
const ID_MIN = -(2n ** 63n);
const ID_MAX = 2n ** 63n - 1n;

function int(name: string, value: number | undefined, fallback: number, min: number, max = INT_MAX): number {
  return value === undefined ? fallback : checkOption.int(name, value, min, max);
}

function authList(list: readonly AuthInfo[] | undefined): readonly AuthInfo[] {
  if (list === undefined) return [];
  // These errors carry the scheme or a type, never the auth: it holds the credentials.
  if (!Array.isArray(list)) throw new OptionError('authInfo', typeof list, { message: 'authInfo must be an array of {scheme, auth}' });
  for (const a of list) {
    if (!a || typeof a.scheme !== 'string' || a.scheme === '') throw new OptionError('authInfo', a?.scheme, { message: 'authInfo entry without a scheme' });
    if (typeof a.auth !== 'string' && !(a.auth instanceof Uint8Array)) {
      throw new OptionError('authInfo', a.scheme, { message: `authInfo entry for scheme "${a.scheme}" has no auth bytes or string` });
    }
  }
  return list;
}

/** Applies defaults and rejects nonsense with an OptionError naming the option. */
export function resolveOptions(opts: CoordClientOptions = {}): ResolvedOptions {
  const sessionTimeout = int('sessionTimeout', opts.sessionTimeout, 30_000, 1);
  const retry = opts.retry ?? {};
  const maxAttempts = retry.maxAttempts === undefined ? Infinity : int('retry.maxAttempts', retry.maxAttempts, 0, 1);
  const sessionId = opts.sessionId ?? 0n;
  if (typeof sessionId !== 'bigint' || sessionId < ID_MIN || sessionId > ID_MAX) {
    throw new OptionError('sessionId', sessionId, 'must be a 64-bit bigint');
  }
  if (sessionId !== 0n && !(opts.sessionPassword instanceof Uint8Array)) {
    const message = 'sessionId needs sessionPassword (the bytes from client.sessionPassword)';
    throw new OptionError('sessionPassword', typeof opts.sessionPassword, { message });
  }
  return {
    sessionTimeout,
    connectTimeout: int('connectTimeout', opts.connectTimeout, sessionTimeout, 1),
    baseDelayMs: int('retry.baseDelayMs', retry.baseDelayMs, 100, 0),
    maxDelayMs: int('retry.maxDelayMs', retry.maxDelayMs, 2000, 0),
    maxAttempts,
    authInfo: authList(opts.authInfo),
    canBeReadOnly: opts.canBeReadOnly === true,
    logger: opts.logger ?? silentLogger,
    sessionId,
    sessionPassword: sessionId === 0n ? Buffer.alloc(16) : Buffer.from(opts.sessionPassword as Uint8Array),
    maxQueuedRequests: int('maxQueuedRequests', opts.maxQueuedRequests, 10_000, 1),
    maxFrameBytes: int('maxFrameBytes', opts.maxFrameBytes, 4 * 1024 * 1024, 1024),
    clock: opts.clock ?? systemClock,
    random: opts.random ?? Math.random,
  };
}

