import type { Clock, TimerHandle } from '@paddock/edges';
import type { World } from './world.js';

/** Where every server's wall clock starts (what ZooKeeper writes as ctime/mtime). */
const WALL_ORIGIN = 1_700_000_000_000;

/**
 * A server's clock: the simulated time at the server's own rate, from its own origin. The
 * machines get its readings; the server's timers are armed on the simulator's agenda by
 * converting a local deadline back to simulated time (toGlobal).
 */
export class SimClock implements Clock {
  constructor(private readonly world: World, readonly rate: number, readonly offset: number) {}

  monotonic(): number {
    return this.offset + this.rate * this.world.now;
  }

  now(): number {
    return WALL_ORIGIN + Math.floor(this.monotonic());
  }

  /** The first simulated time at which this clock reads `local` or later. */
  toGlobal(local: number): number {
    const t = (local - this.offset) / this.rate;
    return this.offset + this.rate * t >= local ? t : t + 1e-6;
  }

  setTimeout(): TimerHandle {
    throw new Error('a simulated server arms its timers on the simulator agenda, not through its clock');
  }

  clearTimeout(): void {
    throw new Error('a simulated server arms its timers on the simulator agenda, not through its clock');
  }
}
