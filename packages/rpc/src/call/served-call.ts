import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The call a provider is serving, as much of it as a call made while serving it inherits: what
 * is left of its time and its trace id. The provider's RpcContext is one. It lives on this floor
 * so a consumer reads it without importing the provider.
 */
export interface ServedCall {
  /** When the consumer of the served call gives up, in ms since the epoch. */
  readonly deadline: number;
  /** The served call's trace id, or '' when it came without one. */
  readonly traceId: string;
}

type AnyMethod = (...args: unknown[]) => unknown;

const storage = new AsyncLocalStorage<ServedCall>();

function apply(fn: AnyMethod, self: object, args: unknown[]): unknown {
  return fn.apply(self, args);
}

/** The call being served where this runs (inside a provider method and all it awaits), or undefined outside of one. */
export function servedCall(): ServedCall | undefined {
  return storage.getStore();
}

/** Calls `fn` on `self` with `args` while `call` is the call being served. */
export function runServing(call: ServedCall, fn: AnyMethod, self: object, args: unknown[]): unknown {
  return storage.run(call, apply, fn, self, args);
}
