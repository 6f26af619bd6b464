/**
 * The tcp transport's protocol, the one place it is defined. Every frame is a 4-byte
 * big-endian body length, then a msgpackr-encoded array whose first element is the kind:
 *
 *   REQUEST     [0, id, service, version, group, method, args[], attachments|null, deadline]
 *   RESULT      [1, id, result, attachments|null]
 *   ERROR       [2, id, {code, name, message, stack?}, attachments|null]
 *   PING        [3]                 either side, when it has read nothing for an interval
 *   PONG        [4]                 the answer to a PING
 *   GOAWAY      [5]                 provider → consumer: send no new calls on this connection
 *   GOAWAY_ACK  [6]                 consumer → provider: none will follow (TCP keeps the order)
 *
 * `id` is the consumer's uint32 for the call; responses may come in any order. `version` and
 * `group` are what the consumer asks for (an exact version, "*" or a semver range; a group,
 * "a,b" or "*"). `deadline` is ms since the epoch. Attachments are string → string.
 */
import { EMPTY_ATTACHMENTS, MAX_ATTACHMENTS, type Attachments } from '../attachments.js';
import type { CallFields } from '../transport.js';
import { constantFrame } from './codec.js';

export { EMPTY_ATTACHMENTS };
export type { Attachments };

export const KIND = {
  REQUEST: 0,
  RESULT: 1,
  ERROR: 2,
  PING: 3,
  PONG: 4,
  GOAWAY: 5,
  GOAWAY_ACK: 6,
} as const;

/** An error as it crosses the wire. */
export interface WireError {
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** The control messages, encoded once. */
export const PING_FRAME = constantFrame([KIND.PING]);
export const PONG_FRAME = constantFrame([KIND.PONG]);
export const GOAWAY_FRAME = constantFrame([KIND.GOAWAY]);
export const GOAWAY_ACK_FRAME = constantFrame([KIND.GOAWAY_ACK]);

const MAX_NAME = 255;
const MAX_UINT32 = 0xffff_ffff;

export function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_UINT32;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME;
}

/**
 * Attachments as received: null or a plain object of at most MAX_ATTACHMENTS string values.
 * Returns null when the value is not acceptable.
 */
export function readAttachments(value: unknown): Attachments | null {
  if (value === null || value === undefined) return EMPTY_ATTACHMENTS;
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return null;
  let n = 0;
  for (const key in value) {
    if (++n > MAX_ATTACHMENTS || typeof (value as Record<string, unknown>)[key] !== 'string') return null;
  }
  return value as Attachments;
}

/** A request as the provider receives it, fields checked. */
export interface RequestFields extends CallFields {
  readonly id: number;
}

/** Checks a REQUEST message; returns the name of the first bad field instead of throwing. */
export function checkRequest(m: readonly unknown[]): string | null {
  if (m.length !== 9) return `a request has 9 fields, got ${m.length}`;
  if (!isName(m[2])) return 'service must be a non-empty string';
  if (!isName(m[3])) return 'version must be a non-empty string';
  if (!isName(m[4])) return 'group must be a non-empty string';
  if (!isName(m[5])) return 'method must be a non-empty string';
  if (!Array.isArray(m[6])) return 'args must be an array';
  if (readAttachments(m[7]) === null) return `attachments must be at most ${MAX_ATTACHMENTS} string values`;
  if (typeof m[8] !== 'number' || !Number.isFinite(m[8])) return 'deadline must be a number (ms since the epoch)';
  return null;
}

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.code === 'string' && typeof e.name === 'string' && typeof e.message === 'string' &&
    (e.stack === undefined || typeof e.stack === 'string');
}
