import { mkdirSync } from 'node:fs';
import type { Logger } from '../base/logger.js';
import type { Txn } from '../txn/txn.js';
import type { SessionTracker } from '../session/session-tracker.js';
import type { DataTree } from '../tree/data-tree.js';
import { ExitCode, StorageError, describeErrno } from './data-dir.js';
import { FileTxnLog } from './file-txn-log.js';
import { removeUnfinishedSnapshots } from './files.js';
import { purge } from './purge.js';
import { writeSnapshot } from './snapshot.js';
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
}

/**
 * The durable TxnLog: group-committed appends, a snapshot every ~snapCount txns taken in the
 * background against the live tree, and purging of files no recovery needs any more.
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
  snapshots = 0;
  onDurable: (zxid: number) => void = () => {};

  constructor(private readonly o: PersistenceOptions, lastZxid: number) {
    mkdirSync(o.snapDir, { recursive: true });
    this.log = new FileTxnLog({
      dir: o.logDir, forceSync: o.forceSync, logger: o.logger,
      onDurable: (z) => this.durable(z),
      onFatal: (e) => this.failed(e),
    }, lastZxid);
    removeUnfinishedSnapshots(o.snapDir);
    this.nextSnapshotAt = this.jitter();
  }

  /** The tree and sessions snapshots are taken from (set once the pipeline exists). */
  attach(tree: DataTree, sessions: SessionTracker): void {
    this.source = { tree, sessions };
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
    if (this.log.durableZxid >= zxid) return Promise.resolve();
    return new Promise((resolve, reject) => this.durableWaiters.push({ zxid, resolve, reject }));
  }

  private jitter(): number {
    const half = Math.max(1, Math.floor(this.o.snapCount / 2));
    return half + Math.floor(this.o.random() * half);
  }

  append(txn: Txn): void {
    this.log.append(txn);
    if (++this.sinceSnapshot >= this.nextSnapshotAt && !this.snapshotting) {
      this.sinceSnapshot = 0;
      this.nextSnapshotAt = this.jitter();
      this.log.roll();
      // Taken after this txn is applied: the snapshot is named for the last zxid it surely holds.
      this.snapshotting = new Promise((resolve) => setImmediate(resolve))
        .then(() => this.takeSnapshot(txn.zxid))
        .finally(() => { this.snapshotting = null; });
    }
  }

  /** Writes a snapshot of the live tree now, after any running one (tests and benches). */
  async snapshot(zxid = this.source?.tree.lastProcessedZxid ?? 0): Promise<void> {
    while (this.snapshotting) await this.snapshotting;
    this.snapshotting = this.takeSnapshot(zxid).finally(() => { this.snapshotting = null; });
    await this.snapshotting;
  }

  private async takeSnapshot(zxid: number): Promise<void> {
    const source = this.source;
    if (!source || this.closed) return;
    const t0 = performance.now();
    try {
      const info = await writeSnapshot(this.o.snapDir, zxid, source.tree, source.sessions, (z) => this.untilDurable(z));
      this.snapshots++;
      this.o.logger.info({ zxid, nodes: info.nodes, bytes: info.bytes, ms: Math.round(performance.now() - t0) }, 'snapshot written');
    } catch (cause) {
      // The log failing first already said so; otherwise the disk under the snapshots failed,
      // and a server that can no longer snapshot ends, as ZooKeeper's does (its exit code 10).
      if (this.fatal || this.closed) return;
      const err = new StorageError(`snapshot in ${this.o.snapDir} failed: ${describeErrno(cause)}`, ExitCode.storageFailure, { cause });
      this.o.logger.fatal({ err: cause }, err.message);
      this.failed(err);
    }
  }

  /** Runs autopurge now (on its own timer when autopurge.purgeInterval > 0, as ZooKeeper). */
  purgeNow(): string[] {
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
