import { networkInterfaces } from 'node:os';
import type { CoordClientOptions } from '@paddock/coord-client';
import { OptionError, checkOption, silentLogger, systemClock, type BackoffPolicy, type Clock, type Logger } from '@paddock/edges';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { ChildrenWatchMode } from './children-watch.js';
import { checkHost } from './instance-fields.js';
import { DEFAULT_ROOT, checkRoot } from './layout.js';

export interface ReconnectOptions extends BackoffOptions {
  /**
   * New-session attempts in a row after which the registry gives up and closes. Default: no
   * limit: a registry outlives outages of any length.
   */
  readonly maxAttempts?: number;
}

export interface RegistryOptions {
  /** Requested session timeout in ms (the server clamps it to 2..20 ticks); default 30000. */
  readonly sessionTimeout?: number;
  /** How long `connect()` waits for the first session; default: the session timeout. */
  readonly connectTimeout?: number;
  /** Parent of the service nodes; default /services. A chroot in the connect string applies first. */
  readonly root?: string;
  /** pino or anything with its methods; the registry logs nothing without one. */
  readonly logger?: Logger;
  /** Backoff between attempts to get a new session after expiry (or a failed first connect). */
  readonly reconnect?: ReconnectOptions;
  /**
   * A file where consumers keep the last good provider lists. When the coordination service is
   * unreachable at start, `connect()` resolves anyway and `discover()` serves these lists.
   */
  readonly cacheFile?: string;
  /**
   * How long a registration waits for a node of the same name left by an older session to go
   * before removing it; default: the session timeout (the old session's, when it was ours).
   */
  readonly staleEphemeralWaitMs?: number;
  /** Bound on `register()`, `addOverride()`...: how long they wait for the service; default max(10 s, 3 × session timeout). */
  readonly operationTimeoutMs?: number;
  /** The host written in consumer URLs; default the first non-internal IPv4 address, else 127.0.0.1. */
  readonly consumerHost?: string;
  /**
   * How consumers watch lists: `auto` (default) uses a persistent recursive watch where the server
   * has `addWatch` (ZooKeeper 3.6+) and one-shot child watches otherwise; `persistent` and
   * `oneShot` force one.
   */
  readonly watchMode?: ChildrenWatchMode;
  /** Other client options (authInfo, maxFrameBytes, retry...), passed to every session's client. */
  readonly client?: Omit<CoordClientOptions, 'sessionTimeout' | 'connectTimeout' | 'logger' | 'clock' | 'random' | 'sessionId' | 'sessionPassword'>;
  /** Time source for backoff and waits (tests pass a fake one); also given to the client. */
  readonly clock?: Clock;
  /** Random source in [0, 1) for jitter (tests pass a seeded one); also given to the client. */
  readonly random?: () => number;
}

export interface ResolvedOptions {
  readonly sessionTimeout: number;
  readonly connectTimeout: number;
  readonly root: string;
  readonly logger: Logger;
  readonly backoff: BackoffPolicy;
  readonly maxAttempts: number;
  readonly cacheFile: string | undefined;
  readonly staleEphemeralWaitMs: number | undefined;
  readonly operationTimeoutMs: number;
  readonly consumerHost: string;
  readonly watchMode: ChildrenWatchMode;
  readonly client: RegistryOptions['client'];
  readonly clock: Clock;
  readonly random: () => number;
}

const INT_MAX = 0x7fffffff;
const WATCH_MODES: readonly ChildrenWatchMode[] = ['auto', 'persistent', 'oneShot'];

function int(name: string, value: number | undefined, fallback: number, min: number, max = INT_MAX): number {
  return value === undefined ? fallback : checkOption.int(name, value, min, max);
}

/** The address other machines would see first: used only to label consumer nodes. */
function defaultConsumerHost(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return '127.0.0.1';
}

/** Applies defaults and rejects nonsense with an OptionError naming the option. */
export function resolveOptions(opts: RegistryOptions = {}): ResolvedOptions {
  if (typeof opts !== 'object' || opts === null) throw new OptionError('options', opts, 'must be an object');
  const sessionTimeout = int('sessionTimeout', opts.sessionTimeout, 30_000, 1);
  const r = opts.reconnect ?? {};
  const baseDelayMs = int('reconnect.baseDelayMs', r.baseDelayMs, DEFAULT_BACKOFF.baseDelayMs, 0);
  const maxDelayMs = int('reconnect.maxDelayMs', r.maxDelayMs, Math.max(baseDelayMs, DEFAULT_BACKOFF.maxDelayMs), baseDelayMs);
  if (opts.cacheFile !== undefined && (typeof opts.cacheFile !== 'string' || opts.cacheFile === '')) {
    throw new OptionError('cacheFile', opts.cacheFile, 'must be a file path');
  }
  if (opts.watchMode !== undefined) checkOption.oneOf('watchMode', opts.watchMode, WATCH_MODES);
  if (opts.random !== undefined && typeof opts.random !== 'function') {
    throw new OptionError('random', opts.random, 'must be a function returning [0, 1)');
  }
  return {
    sessionTimeout,
    connectTimeout: int('connectTimeout', opts.connectTimeout, sessionTimeout, 1),
    root: opts.root === undefined ? DEFAULT_ROOT : checkRoot(opts.root),
    logger: opts.logger ?? silentLogger,
    backoff: { baseDelayMs, maxDelayMs, jitter: r.jitter === undefined ? DEFAULT_BACKOFF.jitter : checkOption.number('reconnect.jitter', r.jitter, 0, 1) },
    maxAttempts: r.maxAttempts === undefined ? Infinity : int('reconnect.maxAttempts', r.maxAttempts, 0, 1),
    cacheFile: opts.cacheFile,
    staleEphemeralWaitMs: opts.staleEphemeralWaitMs === undefined ? undefined : int('staleEphemeralWaitMs', opts.staleEphemeralWaitMs, 0, 0),
    operationTimeoutMs: int('operationTimeoutMs', opts.operationTimeoutMs, Math.max(10_000, 3 * sessionTimeout), 1),
    consumerHost: opts.consumerHost === undefined ? defaultConsumerHost() : checkHost(opts.consumerHost),
    watchMode: opts.watchMode ?? 'auto',
    client: opts.client,
    clock: opts.clock ?? systemClock,
    random: opts.random ?? Math.random,
  };
}
