import type { ServerView } from './options.js';

/** A command answer is small; a bound keeps a misbehaving server from filling memory. */
const MAX_BODY = 4 * 1024 * 1024;
const TIMEOUT_MS = 5000;

/**
 * Server internals read over HTTP from an AdminServer's `/commands/<name>`: Paddock's, or
 * Apache ZooKeeper's (admin.enableServer, port 8080), which answers the same names.
 */
export function httpServerView(adminUrl: string): ServerView {
  let base: URL;
  try {
    base = new URL(adminUrl);
  } catch {
    throw new TypeError(`--admin-url must be an http URL such as http://127.0.0.1:8080, got ${JSON.stringify(adminUrl)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`--admin-url must be http(s), got ${JSON.stringify(adminUrl)}`);
  return {
    label: `AdminServer at ${base.origin}`,
    async command(name) {
      const res = await fetch(new URL(`/commands/${encodeURIComponent(name)}`, base), { signal: AbortSignal.timeout(TIMEOUT_MS) });
      const text = await res.text();
      if (text.length > MAX_BODY) throw new Error(`${name}: answer larger than ${MAX_BODY} bytes`);
      const body = JSON.parse(text) as Record<string, unknown>;
      if (!res.ok || body.error) throw new Error(`${name}: ${String(body.error ?? res.status)}`);
      return body;
    },
  };
}
