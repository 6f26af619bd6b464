/**
 * The tcp transport's protocol, the one place it is defined. Each side's first 8 bytes are the
 * preface: "PDKRPC" and the wire version as a big-endian uint16, so a peer of another version
 * (or not a paddock peer at all) is told apart before any frame is read. After it, every frame
 * is a 4-byte big-endian body length, then a msgpackr-encoded array (../wire/frame-codec.ts)
 * whose first element is the kind:
 *
 *   REQUEST     [0, id, service, version, group, method, args[], attachments, deadline]
 *   RESULT      [1, id, result, attachments]
 *   ERROR       [2, id, {code, name, message, stack?}, attachments]   a WireError (../wire/wire-error.ts)
 *   PING        [3]                 either side, when it has read nothing for an interval
 *   PONG        [4]                 the answer to a PING
 *   GOAWAY      [5]                 provider → consumer: send no new calls on this connection
 *   GOAWAY_ACK  [6]                 consumer → provider: none will follow (TCP keeps the order)
 *
 * `id` is the consumer's uint32 for the call; responses may come in any order. `version` and
 * `group` are what the consumer asks for (an exact version, "*" or a semver range; a group,
 * "a,b" or "*"). `deadline` is ms since the epoch. Attachments are string → string, sent as
 * null (none) or a flat list [key, value, key, value, ...]: a plain object would travel as a
 * msgpackr record defined anew in every frame, which costs more than the list to write and read.
 */
import { EMPTY_ATTACHMENTS, MAX_ATTACHMENTS, type Attachments } from '../attachments.js';
import { constantFrame } from '../wire/frame-codec.js';

/** Bumped whenever a message's shape changes; peers of different versions refuse each other. */
export const WIRE_VERSION = 1;
const MAGIC = 'PDKRPC';
export const PREFACE_BYTES = 8;

/** The 8 bytes each side sends first. */
export function preface(version: number = WIRE_VERSION): Buffer {
  const b = Buffer.alloc(PREFACE_BYTES);
  b.write(MAGIC, 0, 'latin1');
  b.writeUInt16BE(version, MAGIC.length);
  return b;
}

export const PREFACE = preface();

/** What is wrong with a peer's preface, or null when it speaks our version. */
export function checkPreface(b: Buffer, peer: string): string | null {
  if (b.toString('latin1', 0, MAGIC.length) !== MAGIC) return `${peer} is not a paddock rpc peer: it began with 0x${b.toString('hex')}`;
  const version = b.readUInt16BE(MAGIC.length);
  if (version !== WIRE_VERSION) return `${peer} speaks paddock rpc wire version ${version}; this side speaks version ${WIRE_VERSION}`;
  return null;
}

export const KIND = {
  REQUEST: 0,
  RESULT: 1,
  ERROR: 2,
  PING: 3,
  PONG: 4,
  GOAWAY: 5,
  GOAWAY_ACK: 6,
} as const;

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

/** Attachments as sent: null when there are none, else [key, value, key, value, ...]. */
export function writeAttachments(attachments: Attachments | null): string[] | null {
  if (attachments === null) return null;
  let list: string[] | null = null;
  for (const key in attachments) {
    // A literal for the first pair: usually the only one (the trace id), and sized exactly.
    if (list === null) list = [key, attachments[key] as string];
    else list.push(key, attachments[key] as string);
  }
  return list;
}

/**
 * Attachments as received: null, or a list of at most MAX_ATTACHMENTS key/value string pairs
 * (a repeated key keeps its last value). Returns null when the value is not acceptable.
 */
export function readAttachments(value: unknown): Attachments | null {
  if (value === null || value === undefined) return EMPTY_ATTACHMENTS;
  if (!Array.isArray(value) || value.length % 2 !== 0 || value.length > 2 * MAX_ATTACHMENTS) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < value.length; i += 2) {
    const key: unknown = value[i];
    const v: unknown = value[i + 1];
    if (typeof key !== 'string' || typeof v !== 'string') return null;
    // An own property even for this key: assigning it would set the object's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

export const ATTACHMENTS_RULE = `attachments must be null or [key, value, ...] of at most ${MAX_ATTACHMENTS} string pairs`;

/**
 * Checks a REQUEST message; returns the name of the first bad field instead of throwing.
 * Attachments are checked as they are read (readAttachments), so they are built once.
 */
export function checkRequest(m: readonly unknown[]): string | null {
  if (m.length !== 9) return `a request has 9 fields, got ${m.length}`;
  if (!isName(m[2])) return 'service must be a non-empty string';
  if (!isName(m[3])) return 'version must be a non-empty string';
  if (!isName(m[4])) return 'group must be a non-empty string';
  if (!isName(m[5])) return 'method must be a non-empty string';
  if (!Array.isArray(m[6])) return 'args must be an array';
  if (typeof m[8] !== 'number' || !Number.isFinite(m[8])) return 'deadline must be a number (ms since the epoch)';
  return null;
}

/** The kind and id at the head of an encoded message. */
export interface MessageHead {
  readonly kind: number;
  readonly id: number;
}

/**
 * The kind and id of an encoded message read straight from its bytes (a frame refused before
 * decoding can still be answered), or null when they are not there as our encoder writes them:
 * an array whose first element is a small integer and whose second is an unsigned integer.
 */
export function peekMessageHead(body: Buffer): MessageHead | null {
  const t = body[0];
  let pos: number;
  let count: number;
  if (t === undefined) return null;
  if (t >= 0x90 && t <= 0x9f) [pos, count] = [1, t & 0x0f];
  else if (t === 0xdc && body.length >= 3) [pos, count] = [3, body.readUInt16BE(1)];
  else if (t === 0xdd && body.length >= 5) [pos, count] = [5, body.readUInt32BE(1)];
  else return null;
  const kind = body[pos++];
  if (count < 2 || kind === undefined || kind > 0x7f) return null;
  const i = body[pos++];
  if (i === undefined) return null;
  if (i <= 0x7f) return { kind, id: i };
  const size = i === 0xcc ? 1 : i === 0xcd ? 2 : i === 0xce ? 4 : 0;
  if (size === 0 || body.length < pos + size) return null;
  return { kind, id: body.readUIntBE(pos, size) };
}
