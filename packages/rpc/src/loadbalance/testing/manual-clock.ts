import type { Clock } from '../clock.js';

/** A clock that moves only when the test says so. */
export class ManualClock implements Clock {
  constructor(private t = 1_700_000_000_000) {}

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    this.t += ms;
  }

  set(t: number): void {
    this.t = t;
  }
}
