import { CoordClient, KeeperError, type Stat } from '@paddock/coord-client';

/** Bound on the nodes one read walks: the tests' trees are a few thousand nodes at most. */
const MAX_NODES = 20_000;
/** Reads one walk keeps in flight on its session (the client pipelines them). */
const IN_FLIGHT = 64;

/**
 * Every node under `root` but /zookeeper (each server keeps its own quota and config node
 * there), read through a client: path → its data (hex) and its whole Stat, in one comparable line.
 */
async function readTree(c: CoordClient, root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = [root];
  while (queue.length > 0) {
    const batch = queue.splice(0, IN_FLIGHT);
    if (out.size + batch.length > MAX_NODES) throw new Error(`more than ${MAX_NODES} nodes under / (at ${batch[0]})`);
    const nodes = await Promise.all(batch.map((path) => readNode(c, path)));
    for (const [i, node] of nodes.entries()) {
      const path = batch[i]!;
      out.set(path, node.line);
      for (const child of node.children) {
        const p = path === '/' ? `/${child}` : `${path}/${child}`;
        if (p !== '/zookeeper') queue.push(p);
      }
    }
  }
  return out;
}

/**
 * One node's line and sorted children. A node whose ACL denies READ to the reader (a suite's
 * ACL tests leave some) still compares by its Stat, which exists() gives without READ; its
 * subtree is not walked.
 */
async function readNode(c: CoordClient, path: string): Promise<{ line: string; children: string[] }> {
  try {
    const { data, stat } = await c.getData(path);
    return { line: `${data.toString('hex')} ${statLine(stat)}`, children: (await c.getChildren(path)).sort() };
  } catch (e) {
    if (!(e instanceof KeeperError && e.codeName === 'NoAuth')) throw e;
    const stat = await c.exists(path);
    return { line: `(no READ) ${stat ? statLine(stat) : 'gone'}`, children: [] };
  }
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

/** The tree (default all of it, else the subtree at `root`) as the server on `port` has it once caught up with the leader. */
export function treeAt(port: number, root = '/'): Promise<Map<string, string>> {
  return afterSync(port, root, (c) => readTree(c, root));
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
