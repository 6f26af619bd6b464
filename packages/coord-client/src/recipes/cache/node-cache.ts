import type { CoordClient } from '../../client.js';
import { CacheCore } from './cache-core.js';
import type { CacheOptions, ChildData } from './cache-types.js';

/**
 * One node's data and Stat kept current (Curator's NodeCache): `current` is null while the
 * node does not exist. Changes arrive as `change` events (added/updated/removed).
 */
export class NodeCache extends CacheCore {
  constructor(client: CoordClient, path: string, opts: CacheOptions = {}) {
    super(client, path, { minDepth: 0, maxDepth: 0 }, opts);
  }

  get current(): ChildData | null {
    return this.tree.get(this.path) ?? null;
  }
}
