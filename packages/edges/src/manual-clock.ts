import type { Clock, TimerHandle } from './clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: (arg: unknown) => void;
  readonly arg: unknown;
}

/**
 * A clock that only moves when told: `advance(ms)` moves both readings and fires the timers
 * that fall due on the way, in time order (ties in the order they were set), each seeing the
 * time it was due at.
 */
export class ManualClock implements Clock {
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(private wall = 1_700_000_000_000, private mono = 0) {}

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout<A>(fn: (arg: A) => void, ms: number, arg?: A): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.mono + Math.max(0, ms), seq: id, fn: fn as (arg: unknown) => void, arg });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.size;
  }

  /** How far from now each pending timer falls due, soonest first. */
  get pendingDelays(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.mono).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const until = this.mono + ms;
    for (let next = this.due(until); next; next = this.due(until)) {
      this.timers.delete(next.seq);
      this.moveTo(next.at);
      next.fn(next.arg);
    }
    this.moveTo(until);
  }

  /** Moves both readings so that the monotonic one reads `mono`. */
  private moveTo(mono: number): void {
    if (mono <= this.mono) return;
    this.wall += mono - this.mono;
    this.mono = mono;
  }

  /** The earliest timer due by `until`. */
  private due(until: number): Timer | undefined {
    let next: Timer | undefined;
    for (const t of this.timers.values()) {
      if (t.at <= until && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
    }
    return next;
  }
}
