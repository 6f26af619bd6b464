import { JuteReader } from '@paddock/coord-protocol';
import { RecentTxns } from '../../packages/coord-server/src/persistence/recent-txns.js';
import { readZkSnapshot } from '../../packages/coord-server/src/quorum/sync/zk-snapshot-reader.js';
import { zkSnapshotChunks } from '../../packages/coord-server/src/quorum/sync/zk-snapshot.js';
import { sessionPassword } from '../../packages/coord-server/src/session/session-password.js';
import { SessionTracker } from '../../packages/coord-server/src/session/session-tracker.js';
import { replayTxn } from '../../packages/coord-server/src/txn/apply.js';
import type { Txn } from '../../packages/coord-server/src/txn/txn.js';
import { DataTree } from '../../packages/coord-server/src/tree/data-tree.js';
import { NO_WATCH_SINK, WatchManager } from '../../packages/coord-server/src/watch/watch-manager.js';
import { epochOf } from '../../packages/coord-server/src/quorum/zxid.js';
import type { Scheduled } from './event-queue.js';
import { Hist, txnKey } from './hist.js';
import type { SimClock } from './sim-clock.js';
import type { World } from './world.js';

/** A tree, its sessions and the txns it was built from. */
export interface SimState {
  tree: DataTree;
  sessions: SessionTracker;
  hist: Hist;
}

interface DiskSnapshot {
  readonly bytes: Buffer;
  readonly zxid: number;
  readonly hist: Hist;
}

/** ZooKeeper's snapshot serialization of a tree and its sessions (what SNAP carries and a data dir holds). */
export function snapshotBytes(tree: DataTree, sessions: SessionTracker): Buffer {
  const list = [...sessions.all()].map((s) => ({ id: s.id, timeout: s.timeout }));
  return Buffer.concat([...zkSnapshotChunks(tree, list)]);
}

/** Reads snapshot bytes back into a tree and sessions (passwords derived from the ids, as every server does). */
export function readSnapshot(bytes: Buffer, zxid: number, clock: SimClock, tickMs: number, serverId: number): { tree: DataTree; sessions: SessionTracker } {
  const snap = readZkSnapshot(new JuteReader(bytes));
  const sessions = new SessionTracker(tickMs, clock, serverId);
  for (const s of snap.sessions) sessions.add(s.id, s.timeout, sessionPassword(s.id));
  snap.tree.lastProcessedZxid = zxid;
  return { tree: snap.tree, sessions };
}

/**
 * A server's disk: a txn log whose tail is durable only once an fsync covering it completes
 * (group commit: one fsync takes everything appended before it started), the epoch files
 * (written and synced at once, as writeEpochFile does), a snapshot a SNAP sync left, and the
 * window of recent txns Persistence keeps. A crash keeps what was synced. TRUNC and a SNAP's
 * replacement wait for the log to be flushed and take effect, whole, an fsync later. It also
 * stands in for Persistence where nextTermState reads it (flushed, holds, recent, onDurable).
 */
export class SimDisk {
  acceptedEpoch: number | undefined;
  currentEpoch: number | undefined;
  private snapshot: DiskSnapshot | null = null;
  private log: Txn[] = [];
  private durableCount = 0;
  private fsync: Scheduled | null = null;
  private fsyncUpTo = 0;
  private stalledUntil = 0;
  private waiters: (() => void)[] = [];
  private attached: DataTree | null = null;
  recent: RecentTxns;
  onDurable: (zxid: number) => void = () => {};
  /** Bumped by a crash: disk work started before it never completes. */
  private generation = 0;

  constructor(private readonly world: World, readonly serverId: number) {
    this.recent = new RecentTxns(world.knobs.window);
  }

  get lastZxid(): number {
    return this.log.at(-1)?.zxid ?? this.snapshot?.zxid ?? 0;
  }

  get durableZxid(): number {
    return this.durableCount > 0 ? this.log[this.durableCount - 1]!.zxid : (this.snapshot?.zxid ?? 0);
  }

  get logLength(): number {
    return this.log.length;
  }

  get unsynced(): number {
    return this.log.length - this.durableCount;
  }

  append(txn: Txn): void {
    if (txn.zxid <= this.lastZxid) this.world.inv.fail(`server ${this.serverId} logs 0x${txn.zxid.toString(16)} after 0x${this.lastZxid.toString(16)}: zxids must grow`);
    this.log.push(txn);
    this.recent.push(txn);
    this.startFsync();
  }

  /** fsync completions wait until `until` (a stalled disk). */
  stall(until: number): void {
    this.stalledUntil = Math.max(this.stalledUntil, until);
  }

  /** The stall is over now: an fsync waiting for it completes an fsync's time from now. */
  unstall(): void {
    if (this.stalledUntil <= this.world.now) return;
    this.stalledUntil = this.world.now;
    if (!this.fsync) return;
    this.fsync.cancelled = true;
    this.fsync = this.world.after(this.fsyncDelay(), () => this.fsyncDone());
  }

  /** Runs `then` once every txn appended so far is durable (now, if it is). */
  whenFlushed(then: () => void): void {
    if (this.durableCount === this.log.length && !this.fsync) then();
    else this.waiters.push(then);
  }

  /** For nextTermState, called once whenFlushed said so: the last zxid logged, all durable. */
  async flushed(): Promise<number> {
    if (this.durableCount !== this.log.length) throw new Error(`server ${this.serverId}: flushed() asked before the log was flushed`);
    return this.lastZxid;
  }

  attach(tree: DataTree): void {
    this.attached = tree;
  }

  holds(tree: DataTree): boolean {
    return this.attached === tree;
  }

  writeEpoch(which: 'accepted' | 'current', epoch: number): void {
    if (which === 'accepted') this.acceptedEpoch = epoch;
    else this.currentEpoch = epoch;
  }

  /** TRUNC: once flushed, every txn after `zxid` goes, durably, an fsync later; false to `done` if the history cannot end there. */
  truncateAfter(zxid: number, done: (ok: boolean) => void): void {
    this.rewrite(() => {
      if (zxid < (this.snapshot?.zxid ?? 0)) return false;
      while (this.log.length > 0 && this.log.at(-1)!.zxid > zxid) this.log.pop();
      this.durableCount = this.log.length;
      this.recent.truncateAfter(zxid);
      return true;
    }, done);
  }

  /** After SNAP: the tree at its last zxid becomes the whole history on disk. */
  replaceAll(state: SimState, done: () => void): void {
    this.rewrite(() => {
      const zxid = state.tree.lastProcessedZxid;
      this.snapshot = { bytes: snapshotBytes(state.tree, state.sessions), zxid, hist: state.hist.copy() };
      this.log = [];
      this.durableCount = 0;
      this.recent.clear();
      this.attached = state.tree;
      return true;
    }, () => done());
  }

  /** The server died: what was not synced is gone, and so is every disk operation under way. */
  crash(): void {
    this.log.length = this.durableCount;
    this.generation++;
    if (this.fsync) this.fsync.cancelled = true;
    this.fsync = null;
    this.waiters = [];
    this.attached = null;
    this.onDurable = () => {};
  }

  /**
   * Recovery: the snapshot, then every logged txn replayed; the window refilled from them on a
   * start (after a TRUNC, Persistence keeps its own window, cut at the same zxid).
   */
  load(clock: SimClock, refillRecent = true): SimState & { lastZxid: number } {
    const state = this.readBack(clock);
    if (refillRecent) {
      this.recent = new RecentTxns(this.world.knobs.window);
      for (const txn of this.log) this.recent.push(txn);
    }
    this.attached = state.tree;
    return state;
  }

  /** The txns a recovery would build the tree from: the snapshot's, then the log's. */
  history(): Hist {
    const hist = this.snapshot?.hist.copy() ?? new Hist();
    for (const txn of this.log) hist.add(txn.zxid, txnKey(txn));
    return hist;
  }

  /** What a recovery would build from the disk as it is, changing nothing. */
  readBack(clock: SimClock): SimState & { lastZxid: number } {
    const { tickMs } = this.world.knobs;
    const base = this.snapshot
      ? readSnapshot(this.snapshot.bytes, this.snapshot.zxid, clock, tickMs, this.serverId)
      : { tree: new DataTree(), sessions: new SessionTracker(tickMs, clock, this.serverId) };
    const hist = this.snapshot?.hist.copy() ?? new Hist();
    const target = { ...base, dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK) };
    for (const txn of this.log) {
      replayTxn(target, txn);
      hist.add(txn.zxid, txnKey(txn));
    }
    return { ...base, hist, lastZxid: this.lastZxid };
  }

  /** What loadEpochs would refuse (the data dir does not load), or null. */
  epochProblem(): string | null {
    const zxidEpoch = epochOf(this.lastZxid);
    if (this.currentEpoch !== undefined && zxidEpoch > this.currentEpoch) {
      const where = this.log.length === 0 && this.snapshot ? 'the snapshot a SNAP or TRUNC sync wrote at NEWLEADER' : 'the log';
      return `currentEpoch ${this.currentEpoch} is older than the last zxid 0x${this.lastZxid.toString(16)}, from ${where}`;
    }
    if (this.acceptedEpoch !== undefined && this.currentEpoch !== undefined && this.acceptedEpoch < this.currentEpoch) {
      return `acceptedEpoch ${this.acceptedEpoch} is less than currentEpoch ${this.currentEpoch}`;
    }
    return null;
  }

  /** The epochs at startup as loadEpochs settles them: a missing file takes the last zxid's epoch. */
  epochs(): { acceptedEpoch: number; currentEpoch: number } {
    const zxidEpoch = epochOf(this.lastZxid);
    this.currentEpoch ??= zxidEpoch;
    this.acceptedEpoch ??= zxidEpoch;
    return { acceptedEpoch: this.acceptedEpoch, currentEpoch: this.currentEpoch };
  }

  describe(): string {
    return `log ${this.log.length} txns to 0x${this.lastZxid.toString(16)} (durable to 0x${this.durableZxid.toString(16)}), `
      + `snapshot ${this.snapshot ? `0x${this.snapshot.zxid.toString(16)}` : 'none'}, epochs accepted ${this.acceptedEpoch} current ${this.currentEpoch}`;
  }

  private rewrite(change: () => boolean, done: (ok: boolean) => void): void {
    const gen = this.generation;
    this.whenFlushed(() => {
      this.world.after(this.fsyncDelay(), () => {
        if (gen !== this.generation) return;
        done(change());
      });
    });
  }

  private fsyncDelay(): number {
    const d = this.world.knobs.fsyncMs * (0.5 + this.world.rnd());
    return Math.max(this.world.now + d, this.stalledUntil) - this.world.now;
  }

  private startFsync(): void {
    if (this.fsync) return;
    this.fsyncUpTo = this.log.length;
    this.fsync = this.world.after(this.fsyncDelay(), () => this.fsyncDone());
  }

  private fsyncDone(): void {
    if (this.world.now < this.stalledUntil) {
      this.fsync = this.world.atTime(this.stalledUntil, () => this.fsyncDone());
      return;
    }
    this.fsync = null;
    const upTo = Math.min(this.fsyncUpTo, this.log.length);
    if (upTo > this.durableCount) {
      this.durableCount = upTo;
      this.onDurable(this.log[upTo - 1]!.zxid);
    }
    if (this.log.length > this.durableCount) this.startFsync();
    else for (const w of this.waiters.splice(0)) w();
  }
}
