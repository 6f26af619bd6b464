/**
 * Time enters the rpc package only through a Clock, so deadlines, heartbeats, backoff and
 * shutdown grace run on a manual clock in tests. `setTimeout` passes one argument to the
 * callback so hot paths hand over a module-level function and their own object instead of
 * allocating a closure per call.
 */
export type TimerHandle = unknown;

export interface RpcClock {
  /** Milliseconds since the epoch: deadlines travel between processes in this unit. */
  now(): number;
  setTimeout<A>(fn: (arg: A) => void, ms: number, arg: A): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock. Its timers do not keep the process alive on their own: every timer here
 * guards something (a socket, a listener, a pending call) that does.
 */
export const systemClock: RpcClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms, arg) => setTimeout(fn, ms, arg).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
