import { isIP } from 'node:net';
import semver from 'semver';
import { invalid } from './errors.js';

/**
 * Validation of each field of an instance, one function per field. Every function returns the
 * value it accepted (typed) or throws a RegistryError naming the bad value and the rule.
 */

/** Transports a provider can be reached by; a table so the rpc package adds to it in one place. */
export const PROTOCOLS = ['tcp', 'http'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Group of instances that names none: consumers and providers meet in it by default. */
export const DEFAULT_GROUP = 'default';
/** Dubbo's default weight; the load balancers read it as "normal share". */
export const DEFAULT_WEIGHT = 100;
const MAX_WEIGHT = 1_000_000;

const NAME = /^[A-Za-z0-9_.$-]+$/;
const MAX_NAME = 255;
const METHOD = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_METHODS = 256;
const PARAM_KEY = /^[A-Za-z0-9_.-]+$/;
const MAX_PARAM_KEY = 64;
const MAX_PARAM_VALUE = 1024;
const MAX_PARAMS = 64;
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_DNS_NAME = 253;

/** URL parameters the registry writes itself; `params` may not set them. */
const RESERVED_PARAMS: ReadonlySet<string> = new Set(['version', 'group', 'weight', 'methods', 'pid', 'timestamp']);

function safeName(value: unknown): value is string {
  // "." and ".." are not allowed as znode names; the name becomes one path component.
  return typeof value === 'string' && value.length <= MAX_NAME && NAME.test(value) && value !== '.' && value !== '..';
}

export function checkService(value: unknown): string {
  if (safeName(value)) return value;
  throw invalid('INVALID_SERVICE', 'service name', value, `must be 1..${MAX_NAME} of [A-Za-z0-9_.$-], not "." or ".."`);
}

/** Versions already found valid: a consumer parses the same few in every provider URL it lists. */
const validVersions = new Set<string>();
const VALID_VERSIONS_KEPT = 1024;

/** A provider's version: semver (`1.2.0`, `2.0.0-rc.1`, `1.0.0+build.5`), no "v" or "=" prefix, no spaces. */
export function checkVersion(value: unknown): string {
  if (typeof value === 'string' && validVersions.has(value)) return value;
  if (typeof value === 'string' && /^\d[^\s]*$/.test(value) && semver.valid(value) !== null) {
    if (validVersions.size >= VALID_VERSIONS_KEPT) validVersions.clear();
    validVersions.add(value);
    return value;
  }
  throw invalid('INVALID_VERSION', 'version', value, 'must be a semantic version such as 1.2.0');
}

/** A provider's group: a safe name; "*" and lists are for consumers only. */
export function checkGroup(value: unknown): string {
  if (value === undefined) return DEFAULT_GROUP;
  if (safeName(value)) return value;
  throw invalid('INVALID_GROUP', 'group', value, `must be 1..${MAX_NAME} of [A-Za-z0-9_.$-]`);
}

export function checkProtocol(value: unknown): Protocol {
  if ((PROTOCOLS as readonly unknown[]).includes(value)) return value as Protocol;
  throw invalid('INVALID_PROTOCOL', 'protocol', value, `must be one of ${PROTOCOLS.join(', ')}`);
}

/** An IPv4 or IPv6 address (no zone id) or a DNS name of letters, digits and hyphens. */
export function checkHost(value: unknown): string {
  if (typeof value === 'string' && value.length <= MAX_DNS_NAME) {
    if (isIP(value) !== 0 && !value.includes('%')) return value;
    const labels = value.split('.');
    // A last label of digits only would be a malformed IPv4 address, not a name.
    if (labels.every((l) => DNS_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? '')) return value;
  }
  throw invalid('INVALID_HOST', 'host', value, 'must be an IPv4 or IPv6 address or a DNS name');
}

export function checkPort(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return value;
  throw invalid('INVALID_PORT', 'port', value, 'must be an integer in 1..65535');
}

export function checkWeight(value: unknown): number {
  if (value === undefined) return DEFAULT_WEIGHT;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_WEIGHT) return value;
  throw invalid('INVALID_WEIGHT', 'weight', value, `must be an integer in 0..${MAX_WEIGHT}`);
}

export function checkMethods(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_METHODS) {
    throw invalid('INVALID_METHODS', 'methods', value, `must be an array of at most ${MAX_METHODS} method names`);
  }
  for (const m of value) {
    if (typeof m !== 'string' || m.length > MAX_NAME || !METHOD.test(m)) {
      throw invalid('INVALID_METHODS', 'method name', m, 'must be an identifier ([A-Za-z_$][A-Za-z0-9_$]*)');
    }
  }
  return Object.freeze([...value] as string[]);
}

export function checkParams(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return Object.freeze({});
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('INVALID_PARAM', 'params', value, 'must be an object of string values');
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_PARAMS) throw invalid('INVALID_PARAM', 'params', `${entries.length} entries`, `at most ${MAX_PARAMS}`);
  for (const [k, v] of entries) checkParam(k, v);
  return Object.freeze(Object.fromEntries(entries) as Record<string, string>);
}

/** One extra URL parameter: a safe key that the registry does not write itself, a bounded string value. */
export function checkParam(key: string, value: unknown): void {
  if (key.length > MAX_PARAM_KEY || !PARAM_KEY.test(key)) {
    throw invalid('INVALID_PARAM', 'parameter name', key, `must be 1..${MAX_PARAM_KEY} of [A-Za-z0-9_.-]`);
  }
  if (RESERVED_PARAMS.has(key)) throw invalid('INVALID_PARAM', 'parameter name', key, 'is reserved (set the field instead)');
  if (typeof value !== 'string' || value.length > MAX_PARAM_VALUE) {
    throw invalid('INVALID_PARAM', `value of parameter ${key}`, value, `must be a string of at most ${MAX_PARAM_VALUE} chars`);
  }
}
