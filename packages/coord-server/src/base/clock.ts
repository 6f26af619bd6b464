/** Time is passed in at the edges so session expiry and TTLs are testable without sleeping. */
export interface Clock {
  /** Wall-clock milliseconds (znode ctime/mtime). */
  now(): number;
  /** Monotonic milliseconds (session expiry, TTL checks). */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private wall = 1_700_000_000_000, private mono = 0) {}
  now(): number {
    return this.wall;
  }
  monotonic(): number {
    return this.mono;
  }
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
}
