import { checkHost, checkPort } from '../instance-fields.js';
import type { ParsedOverride } from '../override.js';
import { usageError } from './cli-error.js';

/** Which instances a rule is for: a host (null: any) and a port on it (null: any). */
export interface Target {
  readonly host: string | null;
  readonly port: number | null;
}

export const ANY_TARGET: Target = { host: null, port: null };

/** `[v6]:port`, `[v6]`, `host:port`, a bare IPv6 address, or a host. */
const BRACKETED = /^\[([^\]]+)\](?::(\d{1,5}))?$/;

/**
 * A command-line target, `host[:port]` (IPv6 in brackets when a port follows); `needPort` for
 * an address (offline/online name one provider instance). A usage error names the bad text.
 */
export function parseTarget(text: string, needPort: boolean): Target {
  const br = BRACKETED.exec(text);
  const colon = text.lastIndexOf(':');
  let host = text;
  let port: string | undefined;
  if (br) [, host = '', port] = br;
  else if (colon > 0 && text.indexOf(':') === colon) [host, port] = [text.slice(0, colon), text.slice(colon + 1)];
  const what = needPort ? 'an address host:port ([v6]:port for IPv6)' : 'a target host[:port] ([v6]:port for IPv6)';
  if (port === undefined && needPort) throw usageError(`"${text}" is not ${what}`);
  try {
    return { host: checkHost(host), port: port === undefined ? null : checkPort(/^\d{1,5}$/.test(port) ? Number(port) : port) };
  } catch (err) {
    throw usageError(`"${text}" is not ${what}: ${(err as Error).message}`);
  }
}

/** How a target reads in output: `10.0.0.5:20880`, `10.0.0.5`, `[::1]:20880`, `*` for any. */
export function formatTarget(t: Target): string {
  if (t.host === null) return '*';
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return t.port === null ? host : `${host}:${t.port}`;
}

export function isTarget(o: ParsedOverride, t: Target): boolean {
  return o.host === t.host && o.port === t.port;
}

/** Whether a rule reaches the instance at `t` (host and port both set). */
export function covers(o: ParsedOverride, t: Target): boolean {
  return (o.host === null || o.host === t.host) && (o.port === null || o.port === t.port);
}
