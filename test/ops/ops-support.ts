import { CoordClient, CreateMode } from '@paddock/coord-client';
import { freePort } from '../support/ports.js';
import { type PeerServer, startZooKeeper } from '../support/zookeeper.js';

/** One HTTP exchange with an AdminServer on loopback. */
export async function http(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string; text: string; allow: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text(), allow: res.headers.get('allow') };
}

export async function command(port: number, name: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await http(port, `/commands/${name}`);
  return { status: r.status, body: JSON.parse(r.text) as Record<string, unknown> };
}

/**
 * The same small state on any server: one session holding an ephemeral (/e), a data watch
 * (/a) and a child watch (/). Both servers then have something in every report.
 */
export async function populate(connectString: string): Promise<CoordClient> {
  const c = await CoordClient.connect(connectString, { sessionTimeout: 30_000 });
  await c.create('/a', Buffer.from('hi'));
  await c.create('/e', Buffer.from('x'), { mode: CreateMode.EPHEMERAL });
  await c.getData('/a', () => {});
  await c.getChildren('/', () => {});
  return c;
}

/**
 * A four-letter-word answer reduced to its layout: values become placeholders, so two servers
 * in the same state must produce the same shape whatever their versions, ids, ports and times.
 */
export function shape(text: string): string {
  return text
    .replace(/^(Zookeeper version: |zk_version\t|zookeeper\.version=).*$/gm, '$1V')
    .replace(/[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [A-Z]+ \d{4}/g, 'DATE')
    .replace(/\/\d+\.\d+\.\d+\.\d+:\d+/g, '/IP:PORT')
    .replace(/=\/[^\n]*/g, '=PATH')
    .replace(/0x[0-9a-f]+/g, '0xH')
    .replace(/lop=[A-Z0-9]+/g, 'lop=OP')
    .replace(/-?\d+\.\d+(E-?\d+)?/g, 'D')
    .replace(/-?\d+/g, 'N');
}

/** `key<TAB>value` or `key=value` lines as [key, value] pairs, in order. */
export function keyedLines(text: string, sep: string): [string, string][] {
  return text.split('\n').filter((l) => l.includes(sep)).map((l) => {
    const i = l.indexOf(sep);
    return [l.slice(0, i), l.slice(i + sep.length)];
  });
}

/** Whether `sub` appears in `all` in the same relative order. */
export function isSubsequence(sub: readonly string[], all: readonly string[]): boolean {
  let i = 0;
  for (const x of all) if (x === sub[i]) i++;
  return i === sub.length;
}

/**
 * The key paths of a JSON value: `a.b`, `list[].c`. Objects named in `maps` are keyed by ids
 * (sessions, paths, times), so their keys become `*`.
 */
export function keyPaths(value: unknown, maps: ReadonlySet<string> = new Set(), prefix = ''): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(value)) {
    out.add(`${prefix}[]`);
    for (const v of value) for (const p of keyPaths(v, maps, `${prefix}[]`)) out.add(p);
  } else if (value !== null && typeof value === 'object') {
    const name = prefix.split('.').pop() ?? '';
    for (const [k, v] of Object.entries(value)) {
      const key = maps.has(name) ? `${prefix}.*` : prefix ? `${prefix}.${k}` : k;
      out.add(key);
      for (const p of keyPaths(v, maps, key)) out.add(p);
    }
  }
  return out;
}

/** Apache ZooKeeper with its AdminServer on a free loopback port. */
export async function startZooKeeperWithAdmin(extra: Record<string, string> = {}): Promise<PeerServer & { adminPort: number }> {
  const adminPort = await freePort();
  const zk = await startZooKeeper({
    extra: { 'admin.enableServer': 'true', 'admin.serverPort': String(adminPort), 'admin.serverAddress': '127.0.0.1', ...extra },
  });
  return { ...zk, adminPort };
}
