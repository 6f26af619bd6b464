import { invalid, quote } from './errors.js';
import { checkHost, checkPort, checkService, checkWeight } from './instance-fields.js';
import { formatUrl, parseUrl, type Provider } from './instance-url.js';

/**
 * Configurator overrides: persistent nodes under `configurators/` that change what consumers
 * see without touching the providers, e.g.
 *
 *   override://0.0.0.0/Greeter?disabled=true          every instance of Greeter
 *   override://10.0.0.5/Greeter?weight=200            every instance on that host
 *   override://10.0.0.5:20880/Greeter?weight=0        one instance
 *
 * More specific rules win (any host < host < host:port); among equals, the later URL in sort
 * order. A disabled provider is left out of the list; a weight replaces the provider's.
 */
export interface Override {
  /** Default: every host (written as 0.0.0.0). */
  readonly host?: string;
  /** Default: every port. */
  readonly port?: number;
  readonly weight?: number;
  readonly disabled?: boolean;
}

export interface ParsedOverride {
  readonly url: string;
  readonly service: string;
  /** Null: any host. */
  readonly host: string | null;
  /** Null: any port. */
  readonly port: number | null;
  readonly weight?: number;
  readonly disabled?: boolean;
}

const OVERRIDE_SCHEME = 'override';
const ANY_HOST = '0.0.0.0';

export function formatOverrideUrl(service: string, o: Override): string {
  if (typeof o !== 'object' || o === null) throw invalid('INVALID_OVERRIDE', 'override', o, 'must be an object');
  const params = new Map<string, string>();
  if (o.weight !== undefined) params.set('weight', String(checkWeight(o.weight)));
  if (o.disabled !== undefined) {
    if (typeof o.disabled !== 'boolean') throw invalid('INVALID_OVERRIDE', 'disabled', o.disabled, 'must be a boolean');
    params.set('disabled', String(o.disabled));
  }
  if (params.size === 0) throw invalid('INVALID_OVERRIDE', 'override', o, 'sets neither weight nor disabled');
  const host = o.host === undefined ? ANY_HOST : checkHost(o.host);
  const port = o.port === undefined ? null : checkPort(o.port);
  return formatUrl({ scheme: OVERRIDE_SCHEME, host, port, path: checkService(service), params });
}

export function parseOverrideUrl(url: string): ParsedOverride {
  const parts = parseUrl(url);
  if (parts.scheme !== OVERRIDE_SCHEME) {
    throw invalid('INVALID_OVERRIDE', 'override URL', url, `scheme must be ${OVERRIDE_SCHEME}, not ${quote(parts.scheme)}`);
  }
  const weightText = parts.params.get('weight');
  const disabledText = parts.params.get('disabled');
  if (disabledText !== undefined && disabledText !== 'true' && disabledText !== 'false') {
    throw invalid('INVALID_OVERRIDE', 'override URL', url, 'disabled must be true or false');
  }
  const weight = weightText === undefined ? undefined : checkWeight(/^\d{1,7}$/.test(weightText) ? Number(weightText) : weightText);
  if (weight === undefined && disabledText === undefined) {
    throw invalid('INVALID_OVERRIDE', 'override URL', url, 'sets neither weight nor disabled');
  }
  const host = parts.host === ANY_HOST || parts.host === '*' ? null : checkHost(parts.host);
  return Object.freeze({
    url,
    service: checkService(parts.path),
    host,
    port: parts.port === null || parts.port === 0 ? null : checkPort(parts.port),
    ...(weight === undefined ? {} : { weight }),
    ...(disabledText === undefined ? {} : { disabled: disabledText === 'true' }),
  });
}

function specificity(o: ParsedOverride): number {
  return (o.host === null ? 0 : 1) + (o.port === null ? 0 : 2);
}

/** The order overrides apply in: less specific first, then by URL. */
export function compareOverrides(a: ParsedOverride, b: ParsedOverride): number {
  return specificity(a) - specificity(b) || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);
}

/** Orders rules so that applying them in turn lets the more specific one win. */
export function sortOverrides(overrides: readonly ParsedOverride[]): ParsedOverride[] {
  return [...overrides].sort(compareOverrides);
}

function applies(o: ParsedOverride, p: Provider): boolean {
  return (o.host === null || o.host === p.host) && (o.port === null || o.port === p.port);
}

/** The providers as consumers see them: disabled ones left out, weights replaced. `sorted` from sortOverrides. */
export function applyOverrides(providers: readonly Provider[], sorted: readonly ParsedOverride[]): readonly Provider[] {
  if (sorted.length === 0) return providers;
  const out: Provider[] = [];
  for (const p of providers) {
    let weight = p.weight;
    let disabled = false;
    for (const o of sorted) {
      if (!applies(o, p)) continue;
      if (o.weight !== undefined) weight = o.weight;
      if (o.disabled !== undefined) disabled = o.disabled;
    }
    if (disabled) continue;
    out.push(weight === p.weight ? p : Object.freeze({ ...p, weight }));
  }
  return out;
}
