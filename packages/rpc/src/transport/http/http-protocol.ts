/**
 * The http transport's protocol, the one place it is defined.
 *
 *   POST /<service>/<method>
 *   content-type  application/json (body: the JSON array of arguments) or
 *                 application/msgpack (body: the msgpackr-encoded array, the frame codec's settings)
 *   x-rpc-version / ?version=   version spec; default "*"
 *   x-rpc-group   / ?group=     group spec; default "default"
 *   x-rpc-timeout               remaining ms, or
 *   x-rpc-deadline              absolute deadline, ms since the epoch; default now + DEFAULT_TIMEOUT_MS
 *   x-rpc-trace-id              the call's trace id (the `traceId` attachment)
 *   x-rpc-attachments           a JSON object of string values (keeps the case of keys), and/or
 *   x-rpc-attachment-<key>      one attachment per header (HTTP lower-cases <key>)
 *
 * A result is 200 with the body in the request's format (or `accept`'s, when it names one of
 * the two); reply attachments come in `x-rpc-attachments`. An error is a JSON
 * `{ code, name, message, stack? }` with the status of its code from STATUS_OF_CODE.
 */
import type { RpcErrorCode } from '../../call/rpc-error.js';
import { MAX_ATTACHMENTS, TRACE_ID, type Attachments } from '../attachments.js';

export const JSON_TYPE = 'application/json';
export const MSGPACK_TYPE = 'application/msgpack';

export const HEADER = {
  VERSION: 'x-rpc-version',
  GROUP: 'x-rpc-group',
  TIMEOUT: 'x-rpc-timeout',
  DEADLINE: 'x-rpc-deadline',
  TRACE_ID: 'x-rpc-trace-id',
  ATTACHMENTS: 'x-rpc-attachments',
  ATTACHMENT_PREFIX: 'x-rpc-attachment-',
  /** On answers of a draining provider: send no new calls here (http's GOAWAY). */
  DRAINING: 'x-rpc-draining',
} as const;

/** Deadline of a request that states none (a curl call). */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** The HTTP status of every error code, one table. */
export const STATUS_OF_CODE: { readonly [C in RpcErrorCode]: number } = {
  BAD_REQUEST: 400,
  UNKNOWN_SERVICE: 404,
  UNKNOWN_METHOD: 404,
  VERSION_MISMATCH: 409,
  FRAME_TOO_LARGE: 413,
  REMOTE_ERROR: 500,
  SERIALIZATION: 500,
  NETWORK: 502,
  BAD_RESPONSE: 502,
  NO_PROVIDER: 503,
  PROVIDER_BUSY: 503,
  SHUTTING_DOWN: 503,
  CIRCUIT_OPEN: 503,
  TIMEOUT: 504,
  DEADLINE_EXCEEDED: 504,
};

export function statusOf(code: string): number {
  return (STATUS_OF_CODE as Readonly<Record<string, number>>)[code] ?? 500;
}

/** The media type of a content-type or accept value, or null when it is neither of ours. */
export function mediaType(value: string | undefined): typeof JSON_TYPE | typeof MSGPACK_TYPE | null {
  if (value === undefined) return null;
  const v = value.toLowerCase();
  if (v.includes(MSGPACK_TYPE) || v.includes('application/x-msgpack')) return MSGPACK_TYPE;
  if (v.includes(JSON_TYPE)) return JSON_TYPE;
  return null;
}

type HeaderValue = string | string[] | undefined;

function one(v: HeaderValue): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Attachments from headers (request or reply): the JSON header first, then one header per
 * attachment, then the trace id header. Returns a string naming the problem when they are bad.
 */
export function readAttachmentHeaders(headers: Readonly<Record<string, HeaderValue>>): Attachments | string {
  const out: Record<string, string> = {};
  let n = 0;
  const json = one(headers[HEADER.ATTACHMENTS]);
  if (json !== undefined && json !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return `${HEADER.ATTACHMENTS} is not JSON`;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `${HEADER.ATTACHMENTS} must be a JSON object`;
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== 'string') return `${HEADER.ATTACHMENTS}: attachment ${JSON.stringify(k)} is not a string`;
      out[k] = v;
      n++;
    }
  }
  for (const name in headers) {
    if (!name.startsWith(HEADER.ATTACHMENT_PREFIX) || name.length === HEADER.ATTACHMENT_PREFIX.length) continue;
    const v = one(headers[name]);
    if (v === undefined) continue;
    out[name.slice(HEADER.ATTACHMENT_PREFIX.length)] = v;
    n++;
  }
  const trace = one(headers[HEADER.TRACE_ID]);
  if (trace !== undefined && trace !== '') out[TRACE_ID] = trace;
  if (n > MAX_ATTACHMENTS) return `at most ${MAX_ATTACHMENTS} attachments, got ${n}`;
  return out;
}

/** JSON for a header value: non-ASCII escaped as \uXXXX, which JSON reads back unchanged. */
export function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The deadline a request states, or a string naming the problem. */
export function readDeadline(headers: Readonly<Record<string, HeaderValue>>, now: number): number | string {
  const deadline = one(headers[HEADER.DEADLINE]);
  if (deadline !== undefined) {
    const d = Number(deadline);
    return Number.isFinite(d) && deadline.trim() !== '' ? d : `${HEADER.DEADLINE} must be ms since the epoch, got ${JSON.stringify(deadline)}`;
  }
  const timeout = one(headers[HEADER.TIMEOUT]);
  if (timeout !== undefined) {
    const t = Number(timeout);
    return Number.isFinite(t) && t >= 0 && timeout.trim() !== '' ? now + t : `${HEADER.TIMEOUT} must be a number of ms, got ${JSON.stringify(timeout)}`;
  }
  return now + DEFAULT_TIMEOUT_MS;
}

/** A header or query value; query wins over nothing, a header wins over the query. */
export function headerOrQuery(headers: Readonly<Record<string, HeaderValue>>, query: unknown, header: string, key: string, fallback: string): string {
  const h = one(headers[header]);
  if (h !== undefined && h !== '') return h;
  const q = typeof query === 'object' && query !== null ? (query as Record<string, unknown>)[key] : undefined;
  return typeof q === 'string' && q !== '' ? q : fallback;
}
