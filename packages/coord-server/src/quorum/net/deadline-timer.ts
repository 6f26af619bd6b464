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
  /** When the pending timer fires; it may be before `at` (the deadline moved later since). */
  private timerAt = Number.POSITIVE_INFINITY;
  private afterIo: NodeJS.Immediate | null = null;
  private at = Number.POSITIVE_INFINITY;
  private tick: ((now: number) => void) | null = null;

  constructor(private readonly clock: Clock) {}

  /**
   * Calls `tick(now)` at `at` (at once if it has passed), after the socket reads then due;
   * Infinity only clears. A machine re-arms after every input, nearly always to a later
   * deadline: a timer already pending for an earlier moment stays, and when it fires it looks
   * at the deadline again and waits out the rest, so arming costs no timer-list work per
   * packet (it was a sixteenth of a busy member's time).
   */
  arm(at: number, tick: (now: number) => void): void {
    this.at = at;
    this.tick = tick;
    if (!Number.isFinite(at)) return this.clear();
    // A check is due at the end of this turn anyway: it schedules what is left.
    if (this.afterIo !== null) return;
    if (this.timer !== null) {
      if (this.timerAt <= at) return;
      this.clock.clearTimeout(this.timer);
    }
    this.schedule();
  }

  clear(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    if (this.afterIo !== null) clearImmediate(this.afterIo);
    this.timer = null;
    this.afterIo = null;
    this.at = Number.POSITIVE_INFINITY;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.tick = null;
  }

  private schedule(): void {
    this.timerAt = this.at;
    this.timer = this.clock.setTimeout(this.fired, Math.max(0, this.at - this.clock.monotonic()));
  }

  private readonly fired = (): void => {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.afterIo = setImmediate(this.due);
  };

  private readonly due = (): void => {
    this.afterIo = null;
    const now = this.clock.monotonic();
    const tick = this.tick;
    if (tick === null) return;
    if (now < this.at) return this.schedule();
    this.at = Number.POSITIVE_INFINITY;
    this.tick = null;
    tick(now);
  };
}
