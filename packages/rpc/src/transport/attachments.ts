import { randomBytes } from 'node:crypto';

/** String metadata carried with a call and with its reply (Dubbo's attachments). */
export type Attachments = Readonly<Record<string, string>>;

/** The attachment holding a call's trace id; a consumer adds one when the call has none. */
export const TRACE_ID = 'traceId';

/** Bound on attachments per call and per reply. */
export const MAX_ATTACHMENTS = 64;

export const EMPTY_ATTACHMENTS: Attachments = Object.freeze({});

// A random prefix per process and a counter: unique without a random draw per call.
const PREFIX = randomBytes(8).toString('hex');
let counter = 0;

/** A new trace id: 16 hex digits of this process, then a counter. */
export function newTraceId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${PREFIX}-${counter.toString(16)}`;
}
