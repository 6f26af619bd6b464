/**
 * The registry's error codes, one row each: the code and what it means. The only place codes are
 * defined; the README lists them and a test keeps both in sync.
 */
const TABLE = [
  ['INVALID_SERVICE', 'a service name that is not a safe identifier ([A-Za-z0-9_.$-], not "." or "..")'],
  ['INVALID_VERSION', 'a version that is not semver, or a version spec that is neither semver, "*" nor a semver range'],
  ['INVALID_GROUP', 'a group name that is not a safe identifier'],
  ['INVALID_PROTOCOL', 'a protocol other than the supported ones (tcp, http)'],
  ['INVALID_HOST', 'a host that is neither an IPv4/IPv6 address nor a DNS name'],
  ['INVALID_PORT', 'a port outside 1..65535'],
  ['INVALID_WEIGHT', 'a weight that is not an integer in 0..1000000'],
  ['INVALID_METHODS', 'method names that are not identifiers'],
  ['INVALID_PARAM', 'an extra URL parameter with a bad name, a reserved name or a value too long'],
  ['INVALID_URL', 'an instance URL that does not parse (protocol://host:port/service?k=v&...)'],
  ['INVALID_OVERRIDE', 'a configurator override that does not parse or sets nothing'],
  ['CONNECT_FAILED', 'the first session could not be established (and no cacheFile lets the registry start without one)'],
  ['VALUE_TOO_LARGE', 'a config value whose request, with its path, would exceed the server\'s jute.maxbuffer'],
  ['TIMEOUT', 'a registration or override was not confirmed by the coordination service in time'],
  ['CLOSED', 'the registry or subscription is closed'],
] as const;

export type RegistryErrorCode = (typeof TABLE)[number][0];

/** Every code with its meaning, for docs and the test that keeps them in sync. */
export const REGISTRY_ERROR_CODES: ReadonlyMap<RegistryErrorCode, string> = new Map(TABLE);

/**
 * The one error class of the registry. `code` is from the table above; `value` is the offending
 * input when the error is about one (the bad service name, version, URL...). Failures of the
 * coordination service itself stay `KeeperError`s from the client.
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';

  constructor(readonly code: RegistryErrorCode, message: string, readonly value?: unknown, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Quotes a bad value for a message, bounded so a huge input does not flood logs. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** A RegistryError naming the bad value: `invalid service name "a/b": must match ...`. */
export function invalid(code: RegistryErrorCode, what: string, value: unknown, why: string): RegistryError {
  return new RegistryError(code, `invalid ${what} ${quote(value)}: ${why}`, value);
}
