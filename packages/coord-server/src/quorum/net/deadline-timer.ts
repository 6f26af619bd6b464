import type { Clock, TimerHandle } from '@paddock/edges';

/**
 * One timer for a state machine that says when it next wants a tick (`deadline()`, monotonic
 * ms, Infinity for never): `arm` replaces the pending timer with one for the new deadline.
 *
 * The tick runs after the I/O that arrived meanwhile, not before it: Node runs due timers
 * ahead of reading sockets in each turn of its loop, so after the loop was busy (or the
 * process unscheduled) for a while, a tick would judge peers silent whose packets sit unread
 * in the socket buffers (a leader dropped learners that had answered its pings in time). A
 * timer that fires only schedules the tick for the end of that turn, once the sockets are read.
 */
export class DeadlineTimer {
  private timer: TimerHandle | null = null;
  private afterIo: NodeJS.Immediate | null = null;

  constructor(private readonly clock: Clock) {}

  /** Calls `tick(now)` at `at` (at once if it has passed), after the socket reads then due; Infinity only clears. */
  arm(at: number, tick: (now: number) => void): void {
    this.clear();
    if (!Number.isFinite(at)) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.afterIo = setImmediate(() => {
        this.afterIo = null;
        tick(this.clock.monotonic());
      });
    }, Math.max(0, at - this.clock.monotonic()));
  }

  clear(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    if (this.afterIo !== null) clearImmediate(this.afterIo);
    this.timer = null;
    this.afterIo = null;
  }
}
