import type { Logger } from '../../base/logger.js';
import type { DigestKeeper } from '../../pipeline/apply-stage.js';
import type { DataTree } from '../../tree/data-tree.js';
import type { Txn } from '../../txn/txn.js';
import { DIGEST_VERSION, type TreeDigest } from './digest.js';

/**
 * Where mismatches are counted: the server's statistics (mntr's zk_digest_mismatches_count),
 * which outlive a term as ZooKeeper's ServerMetrics counter does; `srst` zeroes them.
 */
export interface DigestMismatchCounter {
  digestMismatches: number;
}

/** The TxnDigest a leader sends with a txn: its digest version and its tree's digest after the txn. */
export interface LeaderDigest {
  readonly version: number;
  readonly treeDigest: bigint;
}

/**
 * While the digests keep disagreeing (a diverged tree disagrees on every later txn) one line
 * per this many mismatches in a row, not one per txn: the first of the run always has its line.
 */
const RUN_LOG_EVERY = 1000;

const hex = (zxid: number): string => `0x${zxid.toString(16)}`;

/**
 * A learner's tree digest, kept as txns apply and checked after each against the digest the
 * leader sent with it, as ZooKeeper 3.8's DataTree.compareDigest does on its followers and
 * observers. A mismatch is counted and logged; nothing else happens (ZooKeeper registers no
 * DigestWatcher): the learner keeps serving, and since a diverged tree disagrees on every
 * later txn, the count goes on growing until the learner is resynced. Skipped, as ZooKeeper
 * skips them: a txn sent without a digest, and a digest of another version.
 */
export class DigestCheck implements DigestKeeper {
  /** Mismatches in a row, 0 while the digests agree. */
  private run = 0;
  private firstChecked = false;
  private versionWarned = false;

  /** `digest` is the tree's, kept up to date by whoever applied to it before (see TreeDigest.of). */
  constructor(readonly digest: TreeDigest, private readonly counter: DigestMismatchCounter, private readonly logger: Logger) {}

  get value(): bigint {
    return this.digest.value;
  }

  track<T>(tree: DataTree, txn: Txn, apply: () => T): T {
    return this.digest.track(tree, txn, apply);
  }

  /** After `zxid` applied (through `track`): is our tree's digest the one the leader sent? */
  check(zxid: number, leader: LeaderDigest | undefined): void {
    if (leader === undefined) return;
    if (leader.version !== DIGEST_VERSION) return this.otherVersion(zxid, leader.version);
    if (!this.firstChecked) {
      this.firstChecked = true;
      this.logger.info({ zxid: hex(zxid) }, `The leader sends tree digests: each txn from 0x${zxid.toString(16)} on is checked against ours`);
    }
    const ours = this.digest.value;
    if (ours === leader.treeDigest) return this.agreed(zxid);
    this.counter.digestMismatches++;
    this.run++;
    if (this.run !== 1 && this.run % RUN_LOG_EVERY !== 0) return;
    const fields = { zxid: hex(zxid), leaderDigest: leader.treeDigest.toString(), digest: ours.toString(), inARow: this.run };
    const again = this.run === 1 ? '' : ` (${this.run} in a row: the trees have diverged)`;
    this.logger.error(fields, `Digest mismatch at zxid ${hex(zxid)}: the leader's tree digest is ${leader.treeDigest}, ours is ${ours}${again}`);
  }

  private agreed(zxid: number): void {
    if (this.run === 0) return;
    this.logger.warn({ zxid: hex(zxid), mismatches: this.run }, `Digests agree again at zxid ${hex(zxid)} after ${this.run} mismatches in a row`);
    this.run = 0;
  }

  private otherVersion(zxid: number, version: number): void {
    if (this.versionWarned) return;
    this.versionWarned = true;
    this.logger.warn({ zxid: hex(zxid), version }, `Digest version ${version} is not ours (${DIGEST_VERSION}): the leader's digests are not checked`);
  }
}
