/**
 * ZooKeeper's quota bookkeeping. `setquota` creates `/zookeeper/quota<path>/zookeeper_limits`;
 * from then on the server keeps `/zookeeper/quota<path>/zookeeper_stats` current with the
 * subtree's node count and data bytes, as "count=N,bytes=M". With enforceQuota the prep stage
 * refuses writes past a hard limit (see quota-guard.ts); otherwise limits are only reported.
 */
import { QUOTA_ROOT, StatsTrack } from '@paddock/coord-protocol';

export { QUOTA_ROOT };
export { QUOTA_LIMIT_NODE as LIMIT_NODE, QUOTA_STAT_NODE as STAT_NODE } from '@paddock/coord-protocol';

/**
 * A quota node's text, or null when it does not read: the tree then leaves the node as it is
 * rather than stop applying txns (ZooKeeper would throw in the middle of its apply).
 */
export function readStats(data: Buffer | null): StatsTrack | null {
  try {
    return StatsTrack.parse(data);
  } catch {
    return null;
  }
}

/** The set of paths that have a quota, with longest-prefix lookup by path segments. */
export class QuotaPaths {
  private readonly paths = new Set<string>();

  add(path: string): void {
    this.paths.add(path);
  }

  delete(path: string): void {
    this.paths.delete(path);
  }

  get size(): number {
    return this.paths.size;
  }

  /** The deepest quota path at or above `path`, excluding '/' (ZooKeeper ignores a root quota). */
  maxPrefix(path: string): string | null {
    if (this.paths.size === 0) return null;
    let p = path;
    while (p.length > 1) {
      if (this.paths.has(p)) return p;
      p = p.slice(0, p.lastIndexOf('/')) || '/';
    }
    return null;
  }
}

/** `/zookeeper/quota/a/b` → `/a/b`. */
export function trimQuotaPath(quotaPath: string): string {
  return quotaPath.slice(QUOTA_ROOT.length);
}
