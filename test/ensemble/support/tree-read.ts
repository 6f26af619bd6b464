import { CoordClient, type Stat } from '@paddock/coord-client';

/** Bound on the nodes one read walks: the tests' trees are a few hundred nodes. */
const MAX_NODES = 5000;

/**
 * Every node under `/` but /zookeeper (each server keeps its own quota and config node there),
 * read through a client: path → its data (hex) and its whole Stat, in one comparable line.
 */
async function readTree(c: CoordClient): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = ['/'];
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (out.size >= MAX_NODES) throw new Error(`more than ${MAX_NODES} nodes under / (at ${path})`);
    const { data, stat } = await c.getData(path);
    out.set(path, `${data.toString('hex')} ${statLine(stat)}`);
    for (const child of (await c.getChildren(path)).sort()) {
      const p = path === '/' ? `/${child}` : `${path}/${child}`;
      if (p !== '/zookeeper') queue.push(p);
    }
  }
  return out;
}

function statLine(s: Stat): string {
  return Object.entries(s).map(([k, v]) => `${k}=${String(v)}`).join(',');
}

/** Runs `read` through a fresh session on the server at `port` once it has caught up with the leader (sync first). */
export async function afterSync<T>(port: number, path: string, read: (c: CoordClient) => Promise<T>): Promise<T> {
  const c = await CoordClient.connect(`127.0.0.1:${port}`, { sessionTimeout: 10_000 });
  try {
    await c.sync(path);
    return await read(c);
  } finally {
    await c.close();
  }
}

/** The tree as the server on `port` has it once caught up with the leader. */
export function treeAt(port: number): Promise<Map<string, string>> {
  return afterSync(port, '/', readTree);
}

/** The children of `path` as the server on `port` has them once caught up with the leader. */
export function childrenAt(port: number, path: string): Promise<Set<string>> {
  return afterSync(port, path, async (c) => new Set(await c.getChildren(path)));
}

/** The paths whose data or Stat differ between two trees (either side missing counts), sorted. */
export function treeDiff(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => a.get(p) !== b.get(p)).sort().map((p) => `${p}: ${a.get(p) ?? '(missing)'} vs ${b.get(p) ?? '(missing)'}`);
}
