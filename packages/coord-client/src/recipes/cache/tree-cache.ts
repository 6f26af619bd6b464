import { checkOption } from '@paddock/edges';
import type { CoordClient } from '../../client.js';
import { CacheCore } from './cache-core.js';
import type { CacheOptions, ChildData } from './cache-types.js';

export interface TreeCacheOptions extends CacheOptions {
  /** Levels below the root to hold (0: the root only); default unlimited, bounded by maxNodes. */
  readonly maxDepth?: number;
}

/** A whole subtree kept current (Curator's TreeCache / CuratorCache), the root included. */
export class TreeCache extends CacheCore {
  constructor(client: CoordClient, path: string, opts: TreeCacheOptions = {}) {
    const maxDepth = opts.maxDepth ?? Infinity;
    if (maxDepth !== Infinity) checkOption.intAtLeast('maxDepth', maxDepth, 0);
    super(client, path, { minDepth: 0, maxDepth }, opts);
  }

  get size(): number {
    return this.tree.size;
  }

  get(path: string): ChildData | undefined {
    return this.tree.get(path);
  }

  /** Cached child names of a cached node, sorted; undefined when the node is not cached. */
  childrenOf(path: string): string[] | undefined {
    return this.tree.get(path) === undefined ? undefined : this.tree.childrenOf(path);
  }

  nodes(): ChildData[] {
    return [...this.tree.paths()].sort().map((p) => this.tree.get(p)!);
  }
}
