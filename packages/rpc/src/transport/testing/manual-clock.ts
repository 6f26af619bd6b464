import type { RpcClock, TimerHandle } from '../clock.js';

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fn: (arg: unknown) => void;
  readonly arg: unknown;
}

/** A clock that moves only when a test calls `advance`; timers fire in due order. */
export class ManualClock implements RpcClock {
  private timers = new Set<Timer>();
  private seq = 0;

  constructor(private time = 1_700_000_000_000) {}

  now(): number {
    return this.time;
  }

  setTimeout<A>(fn: (arg: A) => void, ms: number, arg: A): TimerHandle {
    const t: Timer = { due: this.time + Math.max(0, ms), seq: this.seq++, fn: fn as (arg: unknown) => void, arg };
    this.timers.add(t);
    return t;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as Timer);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (including ones they set). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.timers) {
        if (t.due <= end && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.timers.delete(next);
      this.time = Math.max(this.time, next.due);
      next.fn(next.arg);
    }
    this.time = end;
  }
}
