import { OptionError } from '@paddock/edges';
import { checkTimeout } from '../contract/call-timeout.js';
import type { Contract, RpcProxy } from '../contract/contract-types.js';
import { serviceDefinition } from '../contract/service.js';
import type { ServiceDefinition } from '../contract/service-definition.js';
import { compileGroupSpec, compileVersionSpec } from '../contract/version-spec.js';
import { parseProviderAddress } from '../transport/table/provider-address.js';
import type { CallTarget } from '../transport/transport.js';
import { resolveClientOptions, type ReferOptions, type ResolvedClientOptions, type RpcClientOptions } from './client-options.js';
import { MAX_ADDRESSES, StaticDirectory, type Directory, type StaticProvider } from './directory.js';
import { RegistryDirectory } from './registry-directory.js';
import { EndpointPool } from './endpoint-pool.js';
import { buildProxy } from './proxy.js';
import { ServiceReference } from './reference.js';
import { createCluster, DEFAULT_CLUSTER } from '../cluster/cluster-table.js';
import { createLoadBalance, DEFAULT_LOAD_BALANCE } from '../loadbalance/load-balance-table.js';

/**
 * A consumer: `refer(Contract, options)` gives a typed proxy whose methods call providers.
 * All references of a client share its connections to a provider address (one, or `connections`).
 */
export class RpcClient {
  private readonly opts: ResolvedClientOptions;
  private readonly pool: EndpointPool;
  private readonly references = new Set<ServiceReference>();
  private closed = false;

  constructor(options: RpcClientOptions = {}) {
    this.opts = resolveClientOptions(options);
    const { tcp, connections, clock, logger, random } = this.opts;
    this.pool = new EndpointPool({ tcp, connections, clock, logger, random });
  }

  refer<T extends object>(contract: Contract<T>, options: ReferOptions = {}): RpcProxy<T> {
    if (this.closed) throw new Error('the RpcClient is closed');
    const def = serviceDefinition(contract);
    const where = `refer(${def.name})`;
    const version = options.version ?? `^${def.version}`;
    if (compileVersionSpec(version) === null) {
      throw new OptionError('version', version, { message: `${where}: version ${JSON.stringify(version)} is not a version, "*" or a semver range` });
    }
    const group = options.group ?? def.group;
    if (compileGroupSpec(group) === null) {
      throw new OptionError('group', group, { message: `${where}: group ${JSON.stringify(group)} is not a group, a list of groups or "*"` });
    }
    const timeout = options.timeout === undefined ? undefined : checkTimeout(options.timeout, where);
    const providers = options.addresses === undefined ? undefined : checkAddresses(def, options.addresses);
    const { clock, random, logger } = this.opts;
    // Strategies come from their tables, made once per reference (they throw an OptionError for unknown names).
    const loadBalance = createLoadBalance(options.loadbalance ?? DEFAULT_LOAD_BALANCE, {
      random, clock,
      ...(options.warmupMs === undefined ? {} : { warmupMs: options.warmupMs }),
      ...(options.hashArguments === undefined ? {} : { hashArguments: options.hashArguments }),
    });
    const retries = options.retries ?? this.opts.retries;
    const cluster = createCluster(options.cluster ?? DEFAULT_CLUSTER, {
      loadBalance, clock, logger,
      ...(retries === undefined ? {} : { retries }),
      ...(options.forks === undefined ? {} : { forks: options.forks }),
      ...(options.circuitBreaker === undefined ? {} : { circuitBreaker: options.circuitBreaker }),
    });
    const directory = this.directoryFor(def, providers, { version, group });
    const ref = new ServiceReference({
      def,
      directory,
      cluster,
      clock,
      timeout,
      defaultTimeout: this.opts.timeout,
    });
    this.references.add(ref);
    return buildProxy<T>(ref);
  }

  /** A static list when given addresses, else the providers the client's registry announces. */
  private directoryFor(def: ServiceDefinition, providers: readonly StaticProvider[] | undefined, target: CallTarget): Directory {
    if (providers !== undefined) return new StaticDirectory(def.name, providers, this.pool, target);
    const { registry, logger } = this.opts;
    if (registry === undefined) {
      const message = `refer(${def.name}): give addresses: ['host:port', ...], or give the RpcClient a registry to discover providers`;
      throw new OptionError('addresses', undefined, { message });
    }
    return new RegistryDirectory(def.name, registry, this.pool, target, logger);
  }

  /** Closes every connection; calls in flight fail with NETWORK. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const ref of this.references) ref.close();
    this.references.clear();
    this.pool.closeAll();
  }
}

/** The addresses given, each parsed once (a bad one throws an OptionError naming it); a repeated one counts once. */
function checkAddresses(def: ServiceDefinition, addresses: readonly string[]): readonly StaticProvider[] {
  if (!Array.isArray(addresses) || addresses.length === 0 || addresses.length > MAX_ADDRESSES) {
    throw new OptionError('addresses', addresses, { message: `refer(${def.name}): addresses must be 1..${MAX_ADDRESSES} host:port strings` });
  }
  return [...new Set(addresses)].map((id) => ({ id, at: parseProviderAddress(id) }));
}
