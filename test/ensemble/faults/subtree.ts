import { type CoordClient, KeeperError } from '@paddock/coord-client';

/** Bound on the znodes one round leaves (its witness, backlogs, queue and probes). */
const MAX_NODES = 50_000;
/** Deletes sent at once (one session: the server takes them in order). */
const BATCH = 200;

const noNode = (e: unknown): boolean => e instanceof KeeperError && e.codeName === 'NoNode';

/**
 * Deletes `root` and everything under it, children before parents, so each round starts from
 * a tree of a bounded size (a SNAP then costs the same in round 50 as in round 1).
 */
export async function removeSubtree(c: CoordClient, root: string): Promise<void> {
  const order: string[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const path = queue.shift()!;
    order.push(path);
    if (order.length > MAX_NODES) throw new Error(`more than ${MAX_NODES} znodes under ${root}`);
    const children = await c.getChildren(path).catch((e: unknown) => (noNode(e) ? [] : Promise.reject(e)));
    for (const child of children) queue.push(`${path}/${child}`);
  }
  // Breadth-first order reversed puts every child before its parent.
  order.reverse();
  for (let i = 0; i < order.length; i += BATCH) {
    await Promise.all(order.slice(i, i + BATCH).map((p) => c.delete(p).catch((e: unknown) => (noNode(e) ? undefined : Promise.reject(e)))));
  }
}
