import { joinPath } from '@paddock/coord-protocol';
import type { CoordClient } from '../../client.js';
import { CacheCore } from './cache-core.js';
import type { CacheOptions, ChildData } from './cache-types.js';

/**
 * The children of one node, with their data, kept current (Curator's PathChildrenCache).
 * Only the children are reported; the parent may be absent (then there are none).
 */
export class ChildrenCache extends CacheCore {
  constructor(client: CoordClient, path: string, opts: CacheOptions = {}) {
    super(client, path, { minDepth: 1, maxDepth: 1 }, opts);
  }

  /** Child name → data, in name order. */
  children(): Map<string, ChildData> {
    const out = new Map<string, ChildData>();
    for (const name of this.tree.childrenOf(this.path)) out.set(name, this.tree.get(joinPath(this.path, name))!);
    return out;
  }

  get(name: string): ChildData | undefined {
    return this.tree.get(joinPath(this.path, name));
  }
}
