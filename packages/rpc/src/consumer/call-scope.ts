import { AsyncLocalStorage } from 'node:async_hooks';
import { OptionError } from '@paddock/edges';
import { EMPTY_ATTACHMENTS, MAX_ATTACHMENTS, TRACE_ID, type Attachments } from '../transport/attachments.js';

/** Options for the calls made inside `callWith`. */
export interface CallOptions {
  /** Sent with every call made inside (a reply's attachments come back in the outcome). */
  readonly attachments?: Attachments;
  /** Timeout of each call made inside, in ms; wins over the reference's and the method's. */
  readonly timeout?: number;
  /** Trace id of the calls made inside; default: the current provider call's, else a new one. */
  readonly traceId?: string;
}

export interface CallOutcome<T> {
  readonly result: T;
  /** The reply attachments of the last call made inside that finished. */
  readonly attachments: Attachments;
}

/** @internal What the proxies read from the current scope. */
export interface CallScope {
  readonly attachments: Attachments | undefined;
  readonly timeout: number | undefined;
  readonly traceId: string | undefined;
  reply: Attachments;
}

const storage = new AsyncLocalStorage<CallScope>();

/** @internal */
export function currentScope(): CallScope | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with attachments, a timeout or a trace id for the calls it makes through any
 * proxy, and returns its result with the reply attachments:
 *
 *   const { result, attachments } = await callWith({ attachments: { tenant: 'a' } }, () => greeter.hello('ada'));
 */
export async function callWith<T>(options: CallOptions, fn: () => Promise<T>): Promise<CallOutcome<T>> {
  const scope = checkOptions(options);
  const result = await storage.run(scope, fn);
  return { result, attachments: scope.reply };
}

function checkOptions(o: CallOptions): CallScope {
  if (typeof o !== 'object' || o === null) throw new OptionError('options', o, { message: 'callWith options must be an object' });
  const { attachments, timeout, traceId } = o;
  if (attachments !== undefined) {
    const entries = Object.entries(attachments);
    if (entries.length > MAX_ATTACHMENTS || entries.some(([, v]) => typeof v !== 'string')) {
      throw new OptionError('attachments', attachments, { message: `attachments must be at most ${MAX_ATTACHMENTS} string values` });
    }
  }
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
    throw new OptionError('timeout', timeout, { message: `timeout must be a positive integer of ms, got ${String(timeout)}` });
  }
  if (traceId !== undefined && (typeof traceId !== 'string' || traceId === '')) throw new OptionError('traceId', traceId, { message: 'traceId must be a non-empty string' });
  return { attachments, timeout, traceId: traceId ?? attachments?.[TRACE_ID], reply: EMPTY_ATTACHMENTS };
}
