/** What a config key holds: any JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * ZooKeeper's default jute.maxbuffer (0xfffff): a server closes the connection of a request
 * whose frame (everything after its 4-byte length) is longer, whatever the data alone weighs.
 */
export const DEFAULT_JUTE_MAX_BUFFER = 0xfffff;

/**
 * Bytes of a create request besides its data: the header (xid, op), the path's length and
 * bytes, the data's length, the ACL (one entry, world:anyone: count, perms, "world", "anyone")
 * and the flags. setData carries less around the same data, so create, which set() sends when
 * the key is new, is the one that must fit.
 */
const CREATE_FIXED_BYTES = 8 + 4 + 4 + (4 + 4 + 4 + 5 + 4 + 6) + 4;

/** The most JSON bytes a key at `serverPath` (with the chroot) can hold under `juteMaxBuffer`. */
export function maxValueBytes(serverPath: string, juteMaxBuffer: number): number {
  return juteMaxBuffer - CREATE_FIXED_BYTES - Buffer.byteLength(serverPath, 'utf8');
}

/**
 * A key whose data is not a value we can use: not UTF-8 JSON (written by another tool), or
 * JSON of the wrong type for a typed reader such as a toggle. Carries the bytes as found.
 */
export class ConfigValueError extends Error {
  override readonly name = 'ConfigValueError';

  constructor(
    readonly namespace: string,
    readonly key: string,
    /** The znode's data as read. */
    readonly raw: Buffer,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`config ${namespace}/${key} holds ${describeRaw(raw)}: ${reason}`, options);
  }
}

/** A short, printable view of bad data for messages. */
function describeRaw(raw: Buffer): string {
  if (raw.length === 0) return 'no data';
  const text = raw.subarray(0, 40).toString('utf8');
  return `${JSON.stringify(text)}${raw.length > 40 ? `... (${raw.length} bytes)` : ''}`;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Parses a znode's data as UTF-8 JSON; a ConfigValueError says why it is not. */
export function decodeValue(namespace: string, key: string, raw: Buffer): JsonValue {
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch (err) {
    throw new ConfigValueError(namespace, key, raw, 'not UTF-8', { cause: err });
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new ConfigValueError(namespace, key, raw, 'not JSON', { cause: err });
  }
}

/** The bytes stored for a value; refuses what JSON cannot carry. */
export function encodeValue(namespace: string, key: string, value: unknown): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new TypeError(`config ${namespace}/${key}: value cannot be written as JSON (${(err as Error).message})`, { cause: err });
  }
  if (text === undefined) throw new TypeError(`config ${namespace}/${key}: ${typeof value} is not a JSON value`);
  return Buffer.from(text, 'utf8');
}
