/** What a config key holds: any JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** ZooKeeper's jute.maxbuffer default (0xfffff): the most a znode's data may hold. */
export const MAX_VALUE_BYTES = 0xfffff;

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

/** The bytes stored for a value; refuses what JSON cannot carry and what a znode cannot hold. */
export function encodeValue(namespace: string, key: string, value: unknown): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new TypeError(`config ${namespace}/${key}: value cannot be written as JSON (${(err as Error).message})`, { cause: err });
  }
  if (text === undefined) throw new TypeError(`config ${namespace}/${key}: ${typeof value} is not a JSON value`);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_VALUE_BYTES) {
    throw new RangeError(`config ${namespace}/${key}: value is ${bytes.length} bytes as JSON, more than a znode holds (${MAX_VALUE_BYTES})`);
  }
  return bytes;
}
