import type { Scheduled } from './event-queue.js';
import type { SimClock } from './sim-clock.js';
import type { World } from './world.js';

/**
 * A machine's timer on the simulator's agenda, armed lazily: a machine's deadline moves later
 * with nearly every packet (a learner's last-heard time, election's resend timer), so instead
 * of one agenda entry per move there is one at the earliest deadline asked for; when it comes
 * and the machine's deadline has moved on, it waits again. `tick` runs once the server's own
 * clock has reached the machine's deadline, as DeadlineTimer runs it on the real clock.
 */
export class Deadline {
  private entry: Scheduled | null = null;
  private at = Number.POSITIVE_INFINITY;

  constructor(
    private readonly world: World,
    private readonly clock: SimClock,
    private readonly deadline: () => number,
    private readonly tick: () => void,
  ) {}

  /** The machine's deadline may have changed: make sure the agenda has an entry by then. */
  arm(): void {
    const local = this.deadline();
    if (!Number.isFinite(local)) return;
    const at = Math.max(this.world.now, this.clock.toGlobal(local));
    if (this.entry && this.at <= at) return;
    this.clear();
    this.at = at;
    this.entry = this.world.atTime(at, () => this.due());
  }

  clear(): void {
    if (this.entry) this.entry.cancelled = true;
    this.entry = null;
    this.at = Number.POSITIVE_INFINITY;
  }

  private due(): void {
    this.entry = null;
    this.at = Number.POSITIVE_INFINITY;
    if (this.clock.monotonic() < this.deadline()) return this.arm();
    this.tick();
  }
}
