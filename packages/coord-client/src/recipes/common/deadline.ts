import type { Clock, TimerHandle } from '@paddock/edges';

/** What `Deadline.race` returns when the deadline came first. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * The end of a caller's timeout (or a cancel), shared by every wait of one operation so that
 * retries and re-armed watches all stop at the same moment. Without a timeout it never fires
 * unless cancelled.
 */
export class Deadline {
  private done = false;
  private timer: TimerHandle | null = null;
  private fire!: () => void;
  /** Resolves when the deadline is reached or cancelled. */
  readonly reached = new Promise<void>((resolve) => { this.fire = resolve; });

  private constructor(private readonly clock: Clock | null) {}

  /** A deadline `timeoutMs` from now, or one that never fires when timeoutMs is undefined. */
  static after(clock: Clock, timeoutMs: number | undefined): Deadline {
    const d = new Deadline(clock);
    if (timeoutMs !== undefined) d.timer = clock.setTimeout(() => d.cancel(), timeoutMs);
    return d;
  }

  static none(): Deadline {
    return new Deadline(null);
  }

  get expired(): boolean {
    return this.done;
  }

  /** Ends the wait now, as if the time were up. */
  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.dispose();
    this.fire();
  }

  /** Frees the timer once the operation finished. */
  dispose(): void {
    if (this.timer !== null) this.clock?.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The promise's outcome, or TIMED_OUT when the deadline comes first. */
  race<T>(p: Promise<T>): Promise<T | typeof TIMED_OUT> {
    const timedOut = (): typeof TIMED_OUT => TIMED_OUT;
    if (this.done) return Promise.resolve(timedOut());
    return Promise.race([p, this.reached.then(timedOut)]);
  }
}
