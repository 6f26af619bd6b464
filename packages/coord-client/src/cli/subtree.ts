import { Code, KeeperError, type CoordClient, type Watcher } from '../index.js';

/** Bound on the nodes one `ls -R`, `setAcl -R` or `deleteall` walks: a mistake, not a tree, beyond it. */
const MAX_SUBTREE_NODES = 1_000_000;

const child = (parent: string, name: string): string => (parent === '/' ? `/${name}` : `${parent}/${name}`);

function tooBig(path: string): never {
  throw new Error(`the subtree of ${path} has more than ${MAX_SUBTREE_NODES} nodes`);
}

/**
 * Visits `path` and every node below it in zkCli's order (ZKUtil.visitSubTreeDFS): the node
 * itself after reading it, then level by level each node's sorted children before descending
 * into them. A node deleted during the walk is skipped; other errors end it. With a watcher,
 * the root gets a data watch and every node a child watch, as `ls -R -w` does.
 */
export async function visitSubtree(
  zk: CoordClient, path: string, watcher: Watcher | undefined, visit: (path: string) => void | Promise<void>,
): Promise<void> {
  await zk.getData(path, watcher);
  await visit(path);
  let visited = 1;
  const descend = async (parent: string): Promise<void> => {
    let children: string[];
    try {
      children = (await zk.getChildren(parent, watcher)).sort();
    } catch (err) {
      if (err instanceof KeeperError && err.code === Code.NoNode) return;
      throw err;
    }
    visited += children.length;
    if (visited > MAX_SUBTREE_NODES) tooBig(path);
    for (const name of children) await visit(child(parent, name));
    for (const name of children) await descend(child(parent, name));
  };
  await descend(path);
}

/** `path` and all nodes below it, breadth first (ZKUtil.listSubTreeBFS): parents before children. */
export async function listSubtree(zk: CoordClient, path: string): Promise<string[]> {
  const tree = [path];
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i] as string;
    for (const name of await zk.getChildren(parent)) tree.push(child(parent, name));
    if (tree.length > MAX_SUBTREE_NODES) tooBig(path);
  }
  return tree;
}
