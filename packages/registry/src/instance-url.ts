import { isIP } from 'node:net';
import { RegistryError, invalid, quote } from './errors.js';
import {
  DEFAULT_GROUP, DEFAULT_WEIGHT, checkGroup, checkHost, checkMethods, checkParam, checkParams, checkPort, checkProtocol,
  checkService, checkVersion, checkWeight, type Protocol,
} from './instance-fields.js';

/**
 * Instance URLs, the one place they are parsed and formatted (the rpc package reuses it):
 *
 *   tcp://10.0.0.5:20880/Greeter?version=1.2.0&group=default&weight=100&methods=hello,bye&pid=123&timestamp=...
 *
 * A znode's name is the URL-encoded URL (`toNodeName`), so one getChildren lists every instance
 * with everything a consumer needs, without reading any node's data.
 */

/** What a provider announces; `register()` takes it and validates every field. */
export interface ProviderInstance {
  readonly service: string;
  readonly protocol: Protocol;
  readonly host: string;
  readonly port: number;
  /** Semantic version of the service's interface, e.g. 1.2.0. */
  readonly version: string;
  /** Default "default". */
  readonly group?: string;
  /** Relative share of traffic, 0..1000000; default 100. */
  readonly weight?: number;
  readonly methods?: readonly string[];
  /** Extra URL parameters (not the reserved names). */
  readonly params?: Readonly<Record<string, string>>;
}

/** One live provider as consumers see it: every field resolved, plus its URL. */
export interface Provider {
  /** The instance URL (decoded); configurator overrides do not change it. */
  readonly url: string;
  readonly service: string;
  readonly protocol: Protocol;
  readonly host: string;
  readonly port: number;
  /** `host:port`, IPv6 hosts in brackets: what a transport connects to. */
  readonly address: string;
  readonly version: string;
  readonly group: string;
  /** Effective weight: the URL's, or a configurator's override. */
  readonly weight: number;
  readonly methods: readonly string[];
  readonly params: Readonly<Record<string, string>>;
  readonly pid?: number;
  readonly timestamp?: number;
}

/** The generic grammar every registry URL follows: `scheme://host[:port]/path[?k=v&...]`. */
export interface UrlParts {
  readonly scheme: string;
  readonly host: string;
  readonly port: number | null;
  readonly path: string;
  readonly params: ReadonlyMap<string, string>;
}

/** Longest URL accepted or produced: 10,000 of them must fit one getChildren reply (4 MiB). */
export const MAX_URL_LENGTH = 4096;

const URL_SHAPE = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9A-Fa-f:.]+\]|[^/:?#[\]]+)(?::(\d{1,5}))?\/([^?#]+)(?:\?([^#]*))?$/;

/** encodeURIComponent, but keeps "," readable (methods=hello,bye). */
function encodeValue(v: string): string {
  return encodeURIComponent(v).replace(/%2C/g, ',');
}

function decode(text: string, url: string): string {
  if (!text.includes('%')) return text; // most keys and values: nothing to decode
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid('INVALID_URL', 'URL', url, `bad percent-encoding in ${quote(text)}`);
  }
}

function formatHostPort(host: string, port: number | null): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  return port === null ? h : `${h}:${port}`;
}

export function formatUrl(parts: UrlParts): string {
  let query = '';
  for (const [k, v] of parts.params) query += `${query ? '&' : '?'}${encodeURIComponent(k)}=${encodeValue(v)}`;
  return `${parts.scheme}://${formatHostPort(parts.host, parts.port)}/${encodeURIComponent(parts.path)}${query}`;
}

/** Splits a URL by the generic grammar; the caller validates the fields it cares about. */
export function parseUrl(url: string): UrlParts {
  if (typeof url !== 'string') throw invalid('INVALID_URL', 'URL', url, 'must be a string');
  if (url.length > MAX_URL_LENGTH) throw invalid('INVALID_URL', 'URL', url, `longer than ${MAX_URL_LENGTH} chars`);
  const m = URL_SHAPE.exec(url);
  if (!m) throw invalid('INVALID_URL', 'URL', url, 'must look like protocol://host:port/service?key=value&...');
  const [, scheme = '', rawHost = '', rawPort, path = '', query] = m;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const port = rawPort === undefined ? null : Number(rawPort);
  const params = new Map<string, string>();
  if (query) {
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = decode(eq < 0 ? pair : pair.slice(0, eq), url);
      params.set(key, eq < 0 ? '' : decode(pair.slice(eq + 1), url));
    }
  }
  return { scheme, host, port, path: decode(path, url), params };
}

/** The znode name of a URL: URL-encoded, so it is one path component. */
export function toNodeName(url: string): string {
  return encodeURIComponent(url);
}

/** The URL a znode name holds; "+" is read as a space, as Java's URLEncoder writes one. */
export function fromNodeName(name: string): string {
  try {
    return decodeURIComponent(name.includes('+') ? name.replace(/\+/g, ' ') : name);
  } catch {
    throw invalid('INVALID_URL', 'node name', name, 'bad percent-encoding');
  }
}

/** Validates an instance and resolves defaults; throws a RegistryError naming the first bad field. */
export function resolveInstance(instance: ProviderInstance): Omit<Provider, 'url' | 'address' | 'pid' | 'timestamp'> {
  if (typeof instance !== 'object' || instance === null) {
    throw new RegistryError('INVALID_URL', `a provider instance must be an object, got ${quote(instance)}`, instance);
  }
  return {
    service: checkService(instance.service),
    protocol: checkProtocol(instance.protocol),
    host: checkHost(instance.host),
    port: checkPort(instance.port),
    version: checkVersion(instance.version),
    group: checkGroup(instance.group),
    weight: checkWeight(instance.weight),
    methods: checkMethods(instance.methods),
    params: checkParams(instance.params),
  };
}

/** Runtime facts written beside the instance: who registered it, and when. */
export interface InstanceStamp {
  readonly pid?: number;
  readonly timestamp?: number;
}

/** The URL a provider registers under; validates the instance first. */
export function formatProviderUrl(instance: ProviderInstance, stamp: InstanceStamp = {}): string {
  const p = resolveInstance(instance);
  const params = new Map<string, string>([['version', p.version], ['group', p.group], ['weight', String(p.weight)]]);
  if (p.methods.length > 0) params.set('methods', p.methods.join(','));
  for (const key of Object.keys(p.params).sort()) params.set(key, p.params[key] as string);
  if (stamp.pid !== undefined) params.set('pid', String(stamp.pid));
  if (stamp.timestamp !== undefined) params.set('timestamp', String(stamp.timestamp));
  const url = formatUrl({ scheme: p.protocol, host: p.host, port: p.port, path: p.service, params });
  if (url.length > MAX_URL_LENGTH) throw invalid('INVALID_URL', 'instance URL', url, `longer than ${MAX_URL_LENGTH} chars`);
  return url;
}

function optionalInt(params: ReadonlyMap<string, string>, key: string, url: string): number | undefined {
  const text = params.get(key);
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) throw invalid('INVALID_URL', `${key} in URL`, url, `${key} must be a non-negative integer`);
  return Number(text);
}

/** Parses and validates a provider URL; throws a RegistryError naming the bad part. */
export function parseProviderUrl(url: string): Provider {
  const parts = parseUrl(url);
  if (parts.port === null) throw invalid('INVALID_URL', 'provider URL', url, 'has no port');
  const q = parts.params;
  const weightText = q.get('weight');
  const methodsText = q.get('methods');
  const params: Record<string, string> = {};
  for (const [k, v] of q) {
    if (k === 'version' || k === 'group' || k === 'weight' || k === 'methods' || k === 'pid' || k === 'timestamp') continue;
    checkParam(k, v);
    params[k] = v;
  }
  const pid = optionalInt(q, 'pid', url);
  const timestamp = optionalInt(q, 'timestamp', url);
  const host = checkHost(parts.host);
  const port = checkPort(parts.port);
  return Object.freeze({
    url,
    service: checkService(parts.path),
    protocol: checkProtocol(parts.scheme),
    host,
    port,
    address: formatHostPort(host, port),
    version: checkVersion(q.get('version')),
    group: checkGroup(q.get('group') ?? DEFAULT_GROUP),
    weight: weightText === undefined ? DEFAULT_WEIGHT : checkWeight(/^\d{1,7}$/.test(weightText) ? Number(weightText) : weightText),
    methods: methodsText ? checkMethods(methodsText.split(',')) : Object.freeze([]),
    params: Object.freeze(params),
    ...(pid === undefined ? {} : { pid }),
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}

/** What a consumer announces under `consumers/`: who asks for which versions and groups. */
export interface ConsumerInstance {
  readonly service: string;
  readonly host: string;
  /** The version spec as asked: exact, "*" or a semver range. */
  readonly version: string;
  readonly group: string;
}

/** `consumer://10.0.0.7/Greeter?version=%5E1.0&group=default&pid=..&timestamp=..` */
export function formatConsumerUrl(c: ConsumerInstance, stamp: InstanceStamp = {}): string {
  const params = new Map<string, string>([['version', c.version], ['group', c.group]]);
  if (stamp.pid !== undefined) params.set('pid', String(stamp.pid));
  if (stamp.timestamp !== undefined) params.set('timestamp', String(stamp.timestamp));
  return formatUrl({ scheme: 'consumer', host: checkHost(c.host), port: null, path: checkService(c.service), params });
}
