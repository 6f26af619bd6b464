import { silentLogger, systemClock, type Clock } from '@paddock/edges';
import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import { RpcError } from '../call/rpc-error.js';
import type { InvokerStats } from '../loadbalance/invoker-stats.js';
import type { InvokerExclusion, LoadBalance } from '../loadbalance/load-balance.js';
import { CircuitBreakers, isProviderFault } from './circuit-breakers.js';
import type { Cluster, ClusterLogger, ClusterOptions } from './cluster.js';

/**
 * What every cluster shares: selection that turns "none eligible" into NO_PROVIDER or
 * CIRCUIT_OPEN, the deadline check before sending, and `call`, which feeds circuit breakers and
 * response-time stats around one invocation. Features that are off (no breakers, a balancer
 * without stats) cost one null check per call.
 */
export abstract class ClusterBase implements Cluster {
  abstract readonly name: string;
  protected readonly loadBalance: LoadBalance;
  protected readonly clock: Pick<Clock, 'now'>;
  protected readonly breakers: CircuitBreakers | null;
  /** The exclusion for a first selection: open circuits, or nothing. */
  protected readonly exclusion: InvokerExclusion | undefined;
  protected readonly logger: ClusterLogger;
  private readonly stats: InvokerStats | undefined;

  constructor(options: ClusterOptions) {
    this.loadBalance = options.loadBalance;
    this.clock = options.clock ?? systemClock;
    this.breakers = options.circuitBreaker === false ? null : new CircuitBreakers(options.circuitBreaker ?? {}, this.clock);
    this.exclusion = this.breakers ?? undefined;
    this.logger = options.logger ?? silentLogger;
    this.stats = options.loadBalance.stats;
  }

  abstract invoke(invokers: readonly Invoker[], inv: Invocation): Promise<unknown>;

  /** One provider for `inv`, or the error that says why there is none. */
  protected select(invokers: readonly Invoker[], inv: Invocation, exclusion: InvokerExclusion | undefined): Invoker {
    const invoker = this.loadBalance.select(invokers, inv, exclusion);
    if (invoker === undefined) throw this.noneEligible(invokers, inv);
    return invoker;
  }

  /** Throws TIMEOUT when the caller's deadline has passed: nothing more is sent for this call. */
  protected checkDeadline(inv: Invocation): void {
    if (this.clock.now() >= inv.deadline) {
      throw new RpcError('TIMEOUT', `${inv.service}.${inv.method}: the deadline passed before a provider was called`);
    }
  }

  /** Sends `inv` to `invoker`, recording the outcome in the breakers and the elapsed time in the stats. */
  protected async call(invoker: Invoker, inv: Invocation): Promise<unknown> {
    const breakers = this.breakers;
    const stats = this.stats;
    const ticket = breakers === null ? 0 : breakers.begin(invoker);
    const start = stats === undefined ? 0 : this.clock.now();
    let result: unknown;
    try {
      result = await invoker.invoke(inv);
    } catch (e) {
      // A timeout measures slowness too; other failures say nothing about response time.
      if (stats !== undefined && e instanceof RpcError && e.code === 'TIMEOUT') stats.record(invoker, this.clock.now() - start);
      if (breakers !== null) breakers.end(invoker, ticket, isProviderFault(e));
      throw e;
    }
    if (stats !== undefined) stats.record(invoker, this.clock.now() - start);
    if (breakers !== null) breakers.end(invoker, ticket, false);
    return result;
  }

  /** NO_PROVIDER when nothing is available; CIRCUIT_OPEN when all available ones are set aside. */
  protected noneEligible(invokers: readonly Invoker[], inv: Invocation): RpcError {
    let available = 0;
    for (const invoker of invokers) if (invoker.available) available++;
    if (available > 0 && this.breakers !== null) {
      return new RpcError(
        'CIRCUIT_OPEN',
        `${inv.service}.${inv.method}: all ${available} available providers are set aside by their circuit breakers`,
      );
    }
    return new RpcError(
      'NO_PROVIDER',
      `${inv.service}.${inv.method}: no available provider (${invokers.length} known, none connected)`,
    );
  }
}

/** Leaves out the providers already used in this call, and those the breakers set aside. */
export class UsedExclusion implements InvokerExclusion {
  readonly used: Invoker[];

  constructor(
    first: Invoker,
    private readonly breakers: CircuitBreakers | null,
  ) {
    this.used = [first];
  }

  excludes(invoker: Invoker): boolean {
    const used = this.used;
    for (let i = 0; i < used.length; i++) if (used[i].id === invoker.id) return true;
    return this.breakers !== null && this.breakers.excludes(invoker);
  }
}
