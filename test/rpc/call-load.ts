import { performance } from 'node:perf_hooks';
import type { RpcLogger } from '@paddock/rpc';
import { within } from './rpc-harness.js';

/** What one phase of a run saw: the calls that completed in it, the longest, those the failover cluster retried, those that failed. */
export interface LoadPhase {
  readonly name: string;
  /** ms from the load's start to the phase's. */
  readonly from: number;
  calls: number;
  maxMs: number;
  retried: number;
  failed: number;
}

/** Failures kept word for word for the report (all are counted). */
const KEPT_FAILURES = 20;
/** Bound on the calls of one run, whatever its phases last. */
const MAX_CALLS = 2_000_000;
/** What the failover cluster logs (at debug) before each further attempt of a call (failover.ts). */
const RETRY_MESSAGE = 'failover: retrying on another provider';

/**
 * Calls kept in flight without a pause by loops, each call checked against its expected
 * answer, and figures kept per phase (the test names a phase at each step of its story). A
 * call counts in the phase in which it completes, so the calls caught by a kill show in the
 * phase that follows it.
 */
export class CallLoad {
  readonly phases: LoadPhase[] = [];
  readonly failures: string[] = [];
  calls = 0;
  failed = 0;
  /**
   * Give it to the consumers' RpcClient: it counts the calls the failover cluster retried
   * (its first retry of a call) in the current phase.
   */
  readonly logger: RpcLogger;
  private current: LoadPhase;
  private readonly loops: Promise<void>[] = [];
  private readonly started = performance.now();
  private stopping = false;
  private waiter: { readonly target: number; readonly resolve: () => void } | null = null;

  constructor(firstPhase: string) {
    this.current = this.phase(firstPhase);
    const noop = (): void => {};
    this.logger = {
      debug: (fields, msg) => {
        if (msg === RETRY_MESSAGE && fields.attempt === 1) this.current.retried++;
      },
      info: noop, warn: noop, error: noop,
    };
  }

  /** Starts the next phase; the calls completing from now on count in it. */
  phase(name: string): LoadPhase {
    this.current = { name, from: Math.round(performance.now() - this.started), calls: 0, maxMs: 0, retried: 0, failed: 0 };
    this.phases.push(this.current);
    return this.current;
  }

  /** Starts `loops` loops of `consumer`, each calling `call(value)` back to back; an answer other than `value` is a failure. */
  run(consumer: string, loops: number, call: (value: string) => Promise<unknown>): void {
    for (let l = 0; l < loops; l++) this.loops.push(this.loop(`${consumer}-${l}`, call));
  }

  /** Resolves once `more` further calls have completed (answered or failed), at most `ms` from now. */
  completed(more: number, what: string, ms = 15_000): Promise<void> {
    const target = this.calls + more;
    return within(new Promise<void>((resolve) => { this.waiter = { target, resolve }; }), `${more} more calls (${what})`, ms);
  }

  /** Lets the loops finish their calls in flight and stops them. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private async loop(name: string, call: (value: string) => Promise<unknown>): Promise<void> {
    for (let i = 0; !this.stopping && this.calls < MAX_CALLS; i++) {
      const value = `${name}-${i}`;
      const start = performance.now();
      let failure: string | null = null;
      try {
        const answer = await call(value);
        if (answer !== value) failure = `answered ${JSON.stringify(answer)} for ${value}`;
      } catch (err) {
        failure = `${value}: ${(err as { code?: string }).code ?? ''} ${(err as Error).message}`;
      }
      this.record(performance.now() - start, failure);
    }
  }

  private record(ms: number, failure: string | null): void {
    const p = this.current;
    this.calls++;
    p.calls++;
    if (ms > p.maxMs) p.maxMs = ms;
    if (failure !== null) {
      this.failed++;
      p.failed++;
      if (this.failures.length < KEPT_FAILURES) this.failures.push(`[${p.name}] ${failure}`);
    }
    if (this.waiter !== null && this.calls >= this.waiter.target) {
      this.waiter.resolve();
      this.waiter = null;
    }
  }
}
