import { mkdirSync } from 'node:fs';
import type { Logger } from '../base/logger.js';
import type { Txn } from '../txn/txn.js';
import type { SessionTracker } from '../session/session-tracker.js';
import type { DataTree } from '../tree/data-tree.js';
import { ExitCode, StorageError, describeErrno } from './data-dir.js';
import { FileTxnLog } from './file-txn-log.js';
import { type DiskStep, removeUnfinishedSnapshots, runSteps } from './files.js';
import { loggedBetween, newestSnapshotBytes } from './log-history.js';
import { purge } from './purge.js';
import { RecentTxns } from './recent-txns.js';
import { replacementSteps } from './replace-state.js';
import { writeSnapshot } from './snapshot.js';
import { TruncateError, truncationSteps } from './truncate-log.js';
import type { TxnLog } from './txn-log.js';

export interface PersistenceOptions {
  readonly snapDir: string;
  readonly logDir: string;
  readonly forceSync: boolean;
  /** Txns between snapshots; each interval is jittered to half..full, as ZooKeeper does. */
  readonly snapCount: number;
  readonly snapRetainCount: number;
  readonly logger: Logger;
  /** Random source for the snapshot jitter (injected so tests are repeatable). */
  readonly random: () => number;
  /** Called once when the disk fails under the log or a snapshot: nothing more is acknowledged. */
  onFatal(err: StorageError): void;
  /** The window of recent txns to keep filling (an ensemble member's, from recovery); none by default. */
  readonly recent?: RecentTxns;
  /** Told how long each log batch took to be durable and each snapshot to be written (ms), for the server's metrics. */
  readonly timings?: { fsync(ms: number): void; snapshot(ms: number): void };
}

/** A zxid a caller hands in: a safe integer, not negative. */
function checkZxid(zxid: number, what: string): void {
  if (!Number.isSafeInteger(zxid) || zxid < 0) throw new RangeError(`${what}: zxid ${zxid} is not a whole number in 0..2^53-1`);
}

/**
 * The durable TxnLog: group-committed appends, a snapshot every ~snapCount txns taken in the
 * background against the live tree, and purging of files no recovery needs any more. For an
 * ensemble member also what ZAB asks of the disk: wait for the log to be durable (flushed),
 * cut history back (truncateAfter, for TRUNC), snapshot now (snapshotNow, before NEWLEADER is
 * acknowledged) and start over from a leader's snapshot (replaceAll, after SNAP).
 */
export class Persistence implements TxnLog {
  private readonly log: FileTxnLog;
  private sinceSnapshot = 0;
  private nextSnapshotAt: number;
  private snapshotting: Promise<void> | null = null;
  private source: { tree: DataTree; sessions: SessionTracker } | null = null;
  /** Snapshots waiting for the log to catch up with what they hold; few at a time (one snapshot runs at once). */
  private readonly durableWaiters: { zxid: number; resolve(): void; reject(e: Error): void }[] = [];
  private fatal: StorageError | null = null;
  private closed = false;
  /** The ZAB operation rewriting the files, if one runs: appends and other such operations are refused meanwhile. */
  private rewriting: string | null = null;
  snapshots = 0;
  /** The last txns logged, oldest first, as far as the window given at construction reaches. */
  readonly recent: RecentTxns;
  onDurable: (zxid: number) => void = () => {};

  constructor(private readonly o: PersistenceOptions, lastZxid: number) {
    mkdirSync(o.snapDir, { recursive: true });
    this.log = new FileTxnLog({
      dir: o.logDir, forceSync: o.forceSync, logger: o.logger,
      onDurable: (z) => this.durable(z),
      onFatal: (e) => this.failed(e),
      ...(o.timings ? { onBatchTime: o.timings.fsync } : {}),
    }, lastZxid);
    removeUnfinishedSnapshots(o.snapDir);
    this.nextSnapshotAt = this.jitter();
    this.recent = o.recent ?? new RecentTxns(0);
  }

  /** The tree and sessions snapshots are taken from (set once the pipeline exists). */
  attach(tree: DataTree, sessions: SessionTracker): void {
    this.source = { tree, sessions };
  }

  /** The logged txns from the last at or before `from` up to `before` (see loggedBetween), or null. */
  loggedBetween(from: number, before: number, maxBytes: number): Txn[] | null {
    return loggedBetween(this.o.logDir, from, before, maxBytes);
  }

  newestSnapshotBytes(): number {
    return newestSnapshotBytes(this.o.snapDir);
  }

  /** Whether `tree` is the one attached: the one this log's history describes. */
  holds(tree: DataTree): boolean {
    return this.source?.tree === tree;
  }

  get appended(): number {
    return this.log.appended;
  }

  get durableZxid(): number {
    return this.log.durableZxid;
  }

  private durable(zxid: number): void {
    this.onDurable(zxid);
    const waiters = this.durableWaiters;
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.zxid <= zxid) waiters.splice(i, 1)[0]!.resolve();
    }
  }

  private failed(err: StorageError): void {
    this.fatal = err;
    for (const w of this.durableWaiters.splice(0)) w.reject(err);
    this.o.onFatal(err);
  }

  /** Resolves once every txn up to `zxid` is on disk; rejects if the log failed. */
  private untilDurable(zxid: number): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    // A learner's tree holds txns that came with a SNAP or TRUNC sync and never go to the log:
    // only what was appended can be waited for.
    zxid = Math.min(zxid, this.log.lastZxid);
    if (this.log.durableZxid >= zxid) return Promise.resolve();
    return new Promise((resolve, reject) => this.durableWaiters.push({ zxid, resolve, reject }));
  }

  private jitter(): number {
    const half = Math.max(1, Math.floor(this.o.snapCount / 2));
    return half + Math.floor(this.o.random() * half);
  }

  append(txn: Txn): void {
    if (this.rewriting) throw new Error(`txn 0x${txn.zxid.toString(16)} appended while ${this.rewriting} rewrites the log`);
    if (txn.zxid <= this.log.lastZxid) {
      throw new RangeError(`txn 0x${txn.zxid.toString(16)} appended after 0x${this.log.lastZxid.toString(16)}: zxids must grow`);
    }
    this.log.append(txn);
    this.recent.push(txn);
    if (++this.sinceSnapshot >= this.nextSnapshotAt && !this.snapshotting) {
      this.sinceSnapshot = 0;
      this.nextSnapshotAt = this.jitter();
      this.log.roll();
      // Taken after this txn is applied: the snapshot is named for the last zxid it surely holds.
      // A failure was reported through onFatal already.
      this.snapshotting = new Promise((resolve) => setImmediate(resolve))
        .then(() => this.takeSnapshot(txn.zxid))
        .catch(() => {})
        .finally(() => { this.snapshotting = null; });
    }
  }

  /** Resolves with the last zxid appended once it and all before it are durable; rejects with the StorageError if the disk failed. */
  async flushed(): Promise<number> {
    const zxid = this.log.lastZxid;
    await this.untilDurable(zxid);
    return zxid;
  }

  /**
   * Writes a snapshot of the attached tree and sessions as they are now (after any snapshot
   * still running) and resolves with its zxid once file and folder are synced. Rejects with the
   * StorageError if the disk failed (and reports it through onFatal, as a background one does).
   */
  async snapshotNow(): Promise<number> {
    while (this.snapshotting) await this.snapshotting;
    // Checked after the wait too: a rewrite may have started meanwhile.
    if (this.rewriting) throw new Error(`snapshot asked for while ${this.rewriting} rewrites the files`);
    const source = this.source;
    if (!source) throw new Error('snapshot asked for before a tree was attached');
    if (this.closed) throw new Error('snapshot asked for after close');
    if (this.fatal) throw this.fatal;
    const zxid = source.tree.lastProcessedZxid;
    const taking = this.takeSnapshot(zxid);
    this.snapshotting = taking.then(() => {}, () => {}).finally(() => { this.snapshotting = null; });
    await taking;
    return zxid;
  }

  /**
   * ZAB's TRUNC: every txn after `zxid` leaves the files for good (see truncationSteps), so a
   * later recovery ends at `zxid`, and appends go on after it. A TruncateError, with nothing
   * changed, when the history on disk cannot end there; the caller then asks for a snapshot.
   */
  async truncateAfter(zxid: number): Promise<void> {
    checkZxid(zxid, 'truncateAfter');
    await this.rewrite(`truncation to 0x${zxid.toString(16)}`, zxid, async () => truncationSteps(this.o.snapDir, this.o.logDir, zxid));
    this.recent.truncateAfter(zxid);
  }

  /**
   * After a SNAP sync: the given tree and sessions at `zxid` become the whole history on disk
   * (see replacementSteps), appends go on after `zxid`, and later snapshots are of this tree.
   */
  async replaceAll(tree: DataTree, sessions: SessionTracker, zxid: number): Promise<void> {
    checkZxid(zxid, 'replaceAll');
    await this.rewrite(`replacement by the snapshot at 0x${zxid.toString(16)}`, zxid, () => replacementSteps(this.o.snapDir, this.o.logDir, tree, sessions, zxid));
    this.recent.clear();
    this.attach(tree, sessions);
  }

  /**
   * Runs the steps of a rewrite once the files are quiet (no snapshot being written, every
   * append durable), then restarts the log at `zxid`. A disk failure on the way is fatal, as
   * it is under the log: the steps leave the files recoverable, but this server stops.
   */
  private async rewrite(what: string, zxid: number, plan: () => Promise<DiskStep[]>): Promise<void> {
    if (this.rewriting) throw new Error(`${what} asked for while ${this.rewriting} runs`);
    if (this.closed) throw new Error(`${what} asked for after close`);
    this.rewriting = what;
    try {
      while (this.snapshotting) await this.snapshotting;
      await this.flushed();
      // The open file cut back to its last record: the steps see exactly the records.
      await this.log.settle();
      try {
        await runSteps(await plan());
      } catch (cause) {
        if (cause instanceof TruncateError) throw cause;
        const err = new StorageError(`${what} in ${this.o.logDir} failed: ${describeErrno(cause)}`, ExitCode.storageFailure, { cause });
        this.o.logger.fatal({ err: cause }, err.message);
        this.failed(err);
        throw err;
      }
      this.log.restartAt(zxid);
      this.sinceSnapshot = 0;
      this.o.logger.info({ zxid }, `${what} done`);
    } finally {
      this.rewriting = null;
    }
  }

  /** Writes a snapshot named `zxid`; a disk failure is reported through onFatal and thrown. */
  private async takeSnapshot(zxid: number): Promise<void> {
    const source = this.source;
    if (!source || this.closed) return;
    const t0 = performance.now();
    try {
      const info = await writeSnapshot(this.o.snapDir, zxid, source.tree, source.sessions, (z) => this.untilDurable(z));
      this.snapshots++;
      const ms = Math.round(performance.now() - t0);
      this.o.timings?.snapshot(ms);
      this.o.logger.info({ zxid, nodes: info.nodes, bytes: info.bytes, ms }, 'snapshot written');
    } catch (cause) {
      // The log failing first already said so; otherwise the disk under the snapshots failed,
      // and a server that can no longer snapshot ends, as ZooKeeper's does (its exit code 10).
      if (this.fatal) throw this.fatal;
      if (this.closed) return;
      const err = new StorageError(`snapshot in ${this.o.snapDir} failed: ${describeErrno(cause)}`, ExitCode.storageFailure, { cause });
      this.o.logger.fatal({ err: cause }, err.message);
      this.failed(err);
      throw err;
    }
  }

  /** Runs autopurge now (on its own timer when autopurge.purgeInterval > 0, as ZooKeeper). */
  purgeNow(): string[] {
    // A rewrite removes files in an order of its own; purging waits for the next round.
    if (this.rewriting) return [];
    const removed = purge(this.o.snapDir, this.o.logDir, this.o.snapRetainCount);
    if (removed.length > 0) this.o.logger.info({ removed }, 'purged old snapshots and logs');
    return removed;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.snapshotting;
    await this.log.close();
  }
}
