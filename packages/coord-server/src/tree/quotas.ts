/**
 * ZooKeeper's quota bookkeeping. `setquota` creates `/zookeeper/quota<path>/zookeeper_limits`;
 * from then on the server keeps `/zookeeper/quota<path>/zookeeper_stats` current with the
 * subtree's node count and data bytes, as "count=N,bytes=M". Limits are reported, not enforced
 * (ZooKeeper 3.8's default).
 */
export const QUOTA_ROOT = '/zookeeper/quota';
export const LIMIT_NODE = 'zookeeper_limits';
export const STAT_NODE = 'zookeeper_stats';

/** Parses "count=N,bytes=M[,key=value...]", keeping unknown keys. */
export function parseStats(text: string): Map<string, number> {
  const out = new Map<string, number>([['count', -1], ['bytes', -1]]);
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const n = Number(part.slice(eq + 1));
    if (Number.isFinite(n)) out.set(part.slice(0, eq).trim(), n);
  }
  return out;
}

/** count and bytes first, the rest sorted: the order ZooKeeper writes. */
export function formatStats(stats: ReadonlyMap<string, number>): string {
  const rest = [...stats.keys()].filter((k) => k !== 'count' && k !== 'bytes').sort();
  return [`count=${stats.get('count') ?? -1}`, `bytes=${stats.get('bytes') ?? -1}`, ...rest.map((k) => `${k}=${stats.get(k)}`)].join(',');
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
