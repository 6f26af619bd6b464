import { mkdirSync } from 'node:fs';
import type { Logger } from '../logger.js';
import type { Txn } from '../pipeline/txn.js';
import type { SessionTracker } from '../session/session-tracker.js';
import type { DataTree } from '../tree/data-tree.js';
import { FileTxnLog } from './file-txn-log.js';
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
  onFatal(err: Error): void;
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
  snapshots = 0;
  onDurable: (zxid: number) => void = () => {};

  constructor(private readonly o: PersistenceOptions, lastZxid: number) {
    mkdirSync(o.snapDir, { recursive: true });
    this.log = new FileTxnLog({
      dir: o.logDir, forceSync: o.forceSync, logger: o.logger,
      onDurable: (z) => this.onDurable(z), onFatal: (e) => o.onFatal(e),
    }, lastZxid);
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
      setImmediate(() => { this.snapshotting = this.snapshot(txn.zxid); });
    }
  }

  /** Writes a snapshot of the live tree now (also used at shutdown and by tests). */
  async snapshot(zxid = this.source?.tree.lastProcessedZxid ?? 0): Promise<void> {
    if (!this.source) return;
    const t0 = performance.now();
    try {
      const info = await writeSnapshot(this.o.snapDir, zxid, this.source.tree, this.source.sessions);
      this.snapshots++;
      this.o.logger.info({ zxid, nodes: info.nodes, bytes: info.bytes, ms: Math.round(performance.now() - t0) }, 'snapshot written');
    } catch (err) {
      this.o.logger.error({ err }, 'snapshot failed; the txn log still holds everything');
    } finally {
      this.snapshotting = null;
    }
  }

  /** Runs autopurge now (on its own timer when autopurge.purgeInterval > 0, as ZooKeeper). */
  purgeNow(): string[] {
    const removed = purge(this.o.snapDir, this.o.logDir, this.o.snapRetainCount);
    if (removed.length > 0) this.o.logger.info({ removed }, 'purged old snapshots and logs');
    return removed;
  }

  async close(): Promise<void> {
    await this.snapshotting;
    await this.log.close();
  }
}
