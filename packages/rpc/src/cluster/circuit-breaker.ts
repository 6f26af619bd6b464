export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * One provider's circuit: closed → open after `failureThreshold` consecutive faults; open sets
 * the provider aside for `coolDownMs`; then half-open lets exactly one probe through; the
 * probe's success closes it, its fault opens it again. All times come from the caller (a clock
 * reading), so the state machine is driven by hand in tests.
 *
 * `begin` returns a ticket (the state's generation) that `end` hands back: an outcome is counted
 * only in the state its call began in, so a slow call sent while closed cannot close a circuit
 * that opened meanwhile, nor pass for the half-open probe.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private probeStartedAt = 0;
  private generation = 0;

  constructor(
    readonly failureThreshold: number,
    readonly coolDownMs: number,
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** Consecutive faults counted while closed. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Closed with no faults counted: the same as having no breaker. */
  get clean(): boolean {
    return this.current === 'closed' && this.failures === 0;
  }

  /**
   * Whether a call may be sent now; claims nothing. A probe that has not answered within a
   * cool-down no longer blocks the circuit (its transport should have timed it out by then).
   */
  canTry(now: number): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') return now - this.openedAt >= this.coolDownMs;
    return !this.probing || now - this.probeStartedAt >= this.coolDownMs;
  }

  /** A call is being sent now; if the circuit was waiting for a probe, this call is the probe. */
  begin(now: number): number {
    if (this.current !== 'closed' && this.canTry(now)) {
      this.current = 'half-open';
      this.probing = true;
      this.probeStartedAt = now;
      this.generation++;
    }
    return this.generation;
  }

  /** The outcome of the call that `begin` gave `ticket`: a provider fault or not. */
  end(ticket: number, fault: boolean, now: number): void {
    if (ticket !== this.generation) return;
    if (this.current === 'closed') {
      if (!fault) this.failures = 0;
      else if (++this.failures >= this.failureThreshold) this.open(now);
    } else if (this.current === 'half-open') {
      if (fault) this.open(now);
      else this.close();
    }
  }

  private open(now: number): void {
    this.current = 'open';
    this.openedAt = now;
    this.failures = 0;
    this.probing = false;
    this.generation++;
  }

  private close(): void {
    this.current = 'closed';
    this.failures = 0;
    this.probing = false;
    this.generation++;
  }
}
