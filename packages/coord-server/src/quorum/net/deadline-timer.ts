import type { Clock, TimerHandle } from '@paddock/edges';

/**
 * One timer for a state machine that says when it next wants a tick (`deadline()`, monotonic
 * ms, Infinity for never): `arm` replaces the pending timer with one for the new deadline.
 */
export class DeadlineTimer {
  private timer: TimerHandle | null = null;

  constructor(private readonly clock: Clock) {}

  /** Calls `tick(now)` at `at` (at once if it has passed); Infinity only clears. */
  arm(at: number, tick: (now: number) => void): void {
    this.clear();
    if (!Number.isFinite(at)) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      tick(this.clock.monotonic());
    }, Math.max(0, at - this.clock.monotonic()));
  }

  clear(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
