/**
 * The text ZooKeeper keeps in a quota's `zookeeper_limits` and `zookeeper_stats` nodes (its
 * StatsTrack): `count=N,bytes=M`, and when there are other keys (the hard limits), an extra
 * `=` after bytes and then `;key=value` pairs in key order, so that readers older than 3.7,
 * which split on `,` only, still read count and bytes:
 * `count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=3`. Absent keys read as -1 (no limit).
 */
export const QUOTA_ROOT = '/zookeeper/quota';
export const QUOTA_LIMIT_NODE = 'zookeeper_limits';
export const QUOTA_STAT_NODE = 'zookeeper_stats';

/** The four keys ZooKeeper's quotas use; others are kept as they are. */
export type QuotaKey = 'count' | 'bytes' | 'countHardLimit' | 'byteHardLimit';

/** `/zookeeper/quota<path>`, the folder of a path's quota nodes. */
export const quotaPath = (path: string): string => `${QUOTA_ROOT}${path}`;
export const quotaLimitPath = (path: string): string => `${QUOTA_ROOT}${path}/${QUOTA_LIMIT_NODE}`;
export const quotaStatPath = (path: string): string => `${QUOTA_ROOT}${path}/${QUOTA_STAT_NODE}`;

/** Bound on the pairs read from one quota node: ZooKeeper writes at most four. */
const MAX_PAIRS = 64;

export class StatsTrack {
  private readonly stats = new Map<string, number>();

  /**
   * Reads the text as ZooKeeper does: pairs split on runs of `,` and `;`, each `key=value`
   * with an empty value read as -1 (so the `bytes=-1=` of the compatibility form reads -1).
   * A value that is not an integer throws, naming it (ZooKeeper's NumberFormatException).
   */
  static parse(text: string | Buffer | null): StatsTrack {
    const st = new StatsTrack();
    const s = text === null ? '' : typeof text === 'string' ? text : text.toString('utf8');
    if (s === '') return st;
    const pairs = s.split(/[,;]+/);
    if (pairs.length > MAX_PAIRS) throw new Error(`quota text has more than ${MAX_PAIRS} pairs: ${s.slice(0, 80)}`);
    for (const pair of pairs) {
      const [key = '', value = ''] = pair.split('=');
      if (value !== '' && !/^[+-]?\d{1,19}$/.test(value)) throw new Error(`quota text "${s}": ${key} is not a number: ${value}`);
      st.stats.set(key, value === '' ? -1 : Number(value));
    }
    return st;
  }

  get(key: QuotaKey): number {
    return this.stats.get(key) ?? -1;
  }

  set(key: QuotaKey, value: number): this {
    this.stats.set(key, value);
    return this;
  }

  /** ZooKeeper's StatsTrack.toString: count and bytes first, the other keys sorted after `=`. */
  toString(): string {
    const head = `count=${this.get('count')},bytes=${this.get('bytes')}`;
    const rest = [...this.stats.keys()].filter((k) => k !== 'count' && k !== 'bytes').sort();
    if (rest.length === 0) return head;
    return `${head}=${rest.map((k) => `;${k}=${this.stats.get(k)}`).join('')}`;
  }
}
