/**
 * Time as every package sees it. Whatever waits or measures (session expiry, TTLs, connect
 * deadlines, pings, backoff, balancer statistics, call deadlines) goes through a Clock, so
 * tests drive a ManualClock instead of sleeping.
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch: znode ctime/mtime, deadlines carried to peers. */
  now(): number;
  /** Monotonic milliseconds: durations and expiry, immune to the wall clock being set. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** With an argument for `fn`, so a hot path can pass a shared function instead of a closure. */
  setTimeout<A>(fn: (arg: A) => void, ms: number, arg: A): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Opaque timer handle; only the clock that made it can clear it. */
export type TimerHandle = unknown;

type Timeout = ReturnType<typeof setTimeout>;

function systemClockOf(unref: boolean): Clock {
  return {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    setTimeout: <A>(fn: (arg: A) => void, ms: number, arg?: A): TimerHandle => {
      const t = setTimeout(fn as (arg: A | undefined) => void, ms, arg);
      return unref ? t.unref() : t;
    },
    clearTimeout: (handle: TimerHandle) => clearTimeout(handle as Timeout),
  };
}

/** The real clock. A pending timer keeps the process alive, as Node's own do. */
export const systemClock: Clock = systemClockOf(false);

/**
 * The real clock whose timers do not keep the process alive: for code where every timer
 * guards something that does (a socket, a listener, a pending call).
 */
export const unrefClock: Clock = systemClockOf(true);
