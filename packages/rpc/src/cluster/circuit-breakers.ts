import { OptionError, systemClock, type Clock } from '@paddock/edges';
import type { Invoker } from '../call/invoker.js';
import { RpcError } from '../call/rpc-error.js';
import type { InvokerExclusion } from '../loadbalance/load-balance.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';

export interface CircuitBreakerOptions {
  /** Consecutive faults that open a provider's circuit; default 5. */
  readonly failureThreshold?: number;
  /** How long an open circuit sets the provider aside before one probe; default 10 s. */
  readonly coolDownMs?: number;
}

const DEFAULT_THRESHOLD = 5;
const DEFAULT_COOL_DOWN_MS = 10_000;
const MAX_THRESHOLD = 1000;
const MAX_COOL_DOWN_MS = 3_600_000;
/** Breakers kept at once; beyond this the oldest is dropped (its provider starts clean). */
const MAX_BREAKERS = 10_000;

/**
 * A fault is what says the provider (not the method) is in trouble: the retryable codes
 * (timeouts, dropped connections, busy, shutting down). A remote exception or a bad request
 * proves the provider is up and answering, so it counts as a success.
 */
export function isProviderFault(e: unknown): boolean {
  return RpcError.isRetryable(e) && (e as RpcError).code !== 'CIRCUIT_OPEN';
}

/**
 * The circuit breakers of one reference, one per provider id. Only providers with faults hold
 * a breaker (a clean closed breaker is dropped), so the healthy path is one map lookup. As an
 * InvokerExclusion it leaves out providers whose circuit does not admit a call now.
 */
export class CircuitBreakers implements InvokerExclusion {
  readonly failureThreshold: number;
  readonly coolDownMs: number;
  private readonly byId = new Map<string, CircuitBreaker>();

  constructor(
    options: CircuitBreakerOptions = {},
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {
    const threshold = options.failureThreshold ?? DEFAULT_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_THRESHOLD) {
      const message = `circuit breaker failureThreshold must be an integer in 1..${MAX_THRESHOLD}, got ${String(threshold)}`;
      throw new OptionError('circuitBreaker.failureThreshold', threshold, { message });
    }
    const coolDownMs = options.coolDownMs ?? DEFAULT_COOL_DOWN_MS;
    if (!Number.isFinite(coolDownMs) || coolDownMs < 0 || coolDownMs > MAX_COOL_DOWN_MS) {
      const message = `circuit breaker coolDownMs must be a number in 0..${MAX_COOL_DOWN_MS}, got ${String(coolDownMs)}`;
      throw new OptionError('circuitBreaker.coolDownMs', coolDownMs, { message });
    }
    this.failureThreshold = threshold;
    this.coolDownMs = coolDownMs;
  }

  excludes(invoker: Invoker): boolean {
    const breaker = this.byId.get(invoker.id);
    return breaker !== undefined && !breaker.canTry(this.clock.now());
  }

  /** Call right before sending to `invoker`; pass the ticket to `end`. */
  begin(invoker: Invoker): number {
    const breaker = this.byId.get(invoker.id);
    return breaker === undefined ? 0 : breaker.begin(this.clock.now());
  }

  end(invoker: Invoker, ticket: number, fault: boolean): void {
    let breaker = this.byId.get(invoker.id);
    if (breaker === undefined) {
      if (!fault) return;
      if (this.byId.size >= MAX_BREAKERS) this.dropOldest();
      breaker = new CircuitBreaker(this.failureThreshold, this.coolDownMs);
      this.byId.set(invoker.id, breaker);
    }
    breaker.end(ticket, fault, this.clock.now());
    if (breaker.clean) this.byId.delete(invoker.id);
  }

  stateOf(invoker: Invoker): CircuitState {
    return this.byId.get(invoker.id)?.state ?? 'closed';
  }

  /** Providers with a breaker (faults counted, open or half-open). */
  get tracked(): number {
    return this.byId.size;
  }

  private dropOldest(): void {
    for (const id of this.byId.keys()) {
      this.byId.delete(id);
      return;
    }
  }
}
