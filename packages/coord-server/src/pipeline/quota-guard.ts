import { Code, KeeperError } from '@paddock/coord-protocol';
import type { Logger } from '../base/logger.js';
import type { DataTree } from '../tree/data-tree.js';

/**
 * Quota enforcement (ZooKeeper 3.8's zookeeper.enforceQuota, off by default): a create or
 * setData that would take the deepest quota above its path past a limit. A hard limit (-N,
 * -B) fails the write with QuotaExceeded; a soft one (-n, -b) only logs a warning. When a key
 * has both, the hard one is the limit. As in ZooKeeper, the counts are the committed tree's,
 * so the ops of one multi are each checked against the stats from before the multi; only a
 * setData's old data length comes from the ops before it (the prep view).
 */
export class QuotaGuard {
  /** The last soft-limit warning, and how many identical ones followed it unlogged. */
  private lastWarning = '';
  private repeats = 0;

  constructor(private readonly tree: DataTree, private readonly logger: Logger) {}

  /** Checks a write adding `bytesDiff` bytes and `countDiff` nodes under `path`. */
  check(path: string, bytesDiff: number, countDiff: number): void {
    const quota = this.tree.quotaOf(path);
    if (!quota) return;
    const { prefix, limits, stats } = quota;
    if (countDiff !== 0 && (limits.get('count') > -1 || limits.get('countHardLimit') > -1)) {
      this.against(prefix, 'count', stats.get('count') + countDiff, limits.get('countHardLimit'), limits.get('count'));
    }
    if (bytesDiff !== 0 && (limits.get('bytes') > -1 || limits.get('byteHardLimit') > -1)) {
      this.against(prefix, 'bytes', stats.get('bytes') + bytesDiff, limits.get('byteHardLimit'), limits.get('bytes'));
    }
  }

  private against(prefix: string, what: 'count' | 'bytes', value: number, hard: number, soft: number): void {
    const isHard = hard > -1;
    const limit = isHard ? hard : soft;
    if (value <= limit) return;
    // ZooKeeper's wording: "Quota exceeded: /a [current count=4, hardCountLimit=3]".
    const kind = what === 'count' ? 'CountLimit' : 'ByteLimit';
    this.warn(`Quota exceeded: ${prefix} [current ${what}=${value}, ${isHard ? 'hard' : 'soft'}${kind}=${limit}]`);
    if (isHard) throw KeeperError.expected(Code.QuotaExceeded, prefix);
  }

  /** Logs a warning; a run of identical ones logs once, with the count when the run ends. */
  private warn(message: string): void {
    if (message === this.lastWarning) {
      this.repeats++;
      return;
    }
    if (this.repeats > 0) this.logger.warn({ repeats: this.repeats }, `${this.lastWarning} (repeated)`);
    this.lastWarning = message;
    this.repeats = 0;
    this.logger.warn(message);
  }
}
