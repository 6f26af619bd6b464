import type { Registry } from '@paddock/registry';
import { OptionError, silentLogger, unrefClock, type Clock, type Logger } from '@paddock/edges';
import type { CircuitBreakerOptions } from '../cluster/circuit-breakers.js';
import { checkTimeout } from '../contract/call-timeout.js';
import type { ClusterName } from '../cluster/cluster-table.js';
import type { LoadBalanceName } from '../loadbalance/load-balance-table.js';
import { resolveTcpOptions, type ResolvedTcpOptions, type TcpOptions } from '../transport/tcp/tcp-options.js';

export interface RpcClientOptions {
  /** Timeout of calls whose method and reference set none, in ms; default 3000. */
  readonly timeout?: number;
  /** Retries of the failover cluster when a reference sets none; default the cluster's (2). */
  readonly retries?: number;
  readonly tcp?: TcpOptions;
  /**
   * Connections per provider address (Dubbo's `connections`): tcp spreads calls round robin over
   * this many pipelined connections (default 1); http's keep-alive pool opens at most this many
   * sockets (default 64). At most MAX_CONNECTIONS.
   */
  readonly connections?: number;
  readonly clock?: Clock;
  /** Random source in [0, 1) for load balancing and reconnect jitter (tests pass a seeded one). */
  readonly random?: () => number;
  /** pino or anything with its methods; default silent. */
  readonly logger?: Logger;
  /** Where references without `addresses` discover their providers. */
  readonly registry?: Registry;
}

export interface ReferOptions {
  /** Provider versions accepted: exact, "*" or a semver range; default ^ the contract's version. */
  readonly version?: string;
  /** Provider group(s): one, "a,b" or "*"; default the contract's group. */
  readonly group?: string;
  /** A name from the load-balance table (checked at run time too); default weighted-random. */
  readonly loadbalance?: LoadBalanceName;
  /** A name from the cluster table (checked at run time too); default failover. */
  readonly cluster?: ClusterName;
  /** Timeout of every call of this reference, in ms (a `callWith` timeout wins). */
  readonly timeout?: number;
  /** Extra attempts of the failover cluster; default the client's. */
  readonly retries?: number;
  /** The cluster's per-provider circuit breakers; false turns them off. Default on (the cluster's defaults). */
  readonly circuitBreaker?: CircuitBreakerOptions | false;
  /** Provider addresses (host:port), a static list; without them, providers are discovered through the client's registry. */
  readonly addresses?: readonly string[];
  /** A provider's weight ramps up over this many ms after it started (its URL's timestamp); default 0, off. */
  readonly warmupMs?: number;
  /** forking cluster: providers called in parallel; default the cluster's (2). */
  readonly forks?: number;
  /** consistent-hash: indexes of the arguments that make the key; default [0]. */
  readonly hashArguments?: readonly number[];
}

export interface ResolvedClientOptions {
  readonly timeout: number;
  readonly retries: number | undefined;
  readonly tcp: ResolvedTcpOptions;
  /** undefined: each transport's default. */
  readonly connections: number | undefined;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly registry: Registry | undefined;
}

/** Bound on `connections` per provider address. */
const MAX_CONNECTIONS = 256;

export function resolveClientOptions(o: RpcClientOptions = {}): ResolvedClientOptions {
  if (typeof o !== 'object' || o === null) throw new OptionError('options', o, { message: 'RpcClient options must be an object' });
  if (o.random !== undefined && typeof o.random !== 'function') throw new OptionError('random', o.random, { message: 'random must be a function returning [0, 1)' });
  const { connections } = o;
  if (connections !== undefined && !(Number.isInteger(connections) && connections >= 1 && connections <= MAX_CONNECTIONS)) {
    throw new OptionError('connections', connections, { message: `connections must be an integer in 1..${MAX_CONNECTIONS}, got ${String(connections)}` });
  }
  return {
    timeout: o.timeout === undefined ? 3000 : checkTimeout(o.timeout),
    retries: o.retries,
    tcp: resolveTcpOptions(o.tcp),
    connections,
    clock: o.clock ?? unrefClock,
    random: o.random ?? Math.random,
    logger: o.logger ?? silentLogger,
    registry: o.registry,
  };
}
