import type { Id } from '@paddock/coord-protocol';
import type { TxnLog } from '../../persistence/txn-log.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import type { SessionTracker } from '../../session/session-tracker.js';
import type { DataTree } from '../../tree/data-tree.js';
import { type ApplyTarget, applyTxn } from '../../txn/apply.js';
import { NO_WATCH_SINK, WatchManager } from '../../watch/watch-manager.js';
import type { QuorumConfig } from '../config/quorum-config.js';
import { setConfigNode } from '../config/config-node.js';
import { markUpdatingEpoch } from '../config/epoch-files.js';
import { DeadlineTimer } from '../net/deadline-timer.js';
import { QuorumSocket } from '../net/quorum-socket.js';
import { DigestCheck } from '../sync/digest-check.js';
import { TreeDigest } from '../sync/digest.js';
import { PacketType } from '../wire/packet-types.js';
import type { QuorumInput } from '../wire/quorum-packet.js';
import { FROM_LEARNER } from '../wire/zab-payloads.js';
import { decodeZkTxn, type ZkTxn } from '../wire/zk-txn.js';
import { Learner, type LearnerOutput } from '../zab/learner.js';
import type { TermEnd } from './next-term.js';
import type { LocalState, PeerHost } from './peer-host.js';

export interface LearnerRoleOptions {
  readonly host: PeerHost;
  readonly config: QuorumConfig;
  readonly leaderId: number;
  readonly epochs: { readonly acceptedEpoch: number; readonly currentEpoch: number };
  readonly state: LocalState;
  /** Reads the snapshot that follows SNAP into a fresh tree and sessions. */
  readonly readSnapshot: (bytes: Buffer, tickTime: number) => { tree: DataTree; sessions: SessionTracker };
  /** Puts an epoch the machine moved to on disk (before its next output is acted on). */
  readonly saveEpoch: (which: 'accepted' | 'current', epoch: number) => void;
}

/** The sync's first packet, logged in ZooKeeper's learner's words, so one pattern reads both kinds of server. */
const SYNC_OPENINGS: ReadonlyMap<number, string> = new Map([
  [PacketType.DIFF, 'Getting a diff from the leader'],
  [PacketType.TRUNC, 'Truncating log to get in sync with the leader'],
  [PacketType.SNAP, 'Getting a snapshot from leader'],
]);

/** The outputs of a step with nothing to do (an input that arrives after the term ended). */
const NOTHING: readonly LearnerOutput[] = [];

/** What the learner's queue holds: an input from the leader, or the zxid the local log is now durable up to. */
type Step = QuorumInput | number;

/**
 * Dials of the leader's quorum port: ZooKeeper's Learner.connectToLeader tries five times,
 * leaderConnectDelayDuringRetryMs (100 ms in 3.8) apart, for about half a second. A new leader
 * opens its port a moment after the election, so the first dial is often refused by a
 * millisecond or two: the waits here start at 5 ms and double up to 100 ms, over the same half
 * second, so that moment does not cost a whole 100 ms of every failover.
 */
const CONNECT_WAITS_MS = [5, 10, 20, 40, 80, 100, 100, 100, 100];

/**
 * One term as follower or observer: connect to the leader's quorum port, run the ZAB learner
 * machine on the host's clock, carry out its disk work in order (an input waits until the
 * effects before it are done), and serve clients from UPTODATE on. Resolves with the reason
 * the term ended.
 */
export class LearnerRole {
  readonly learner: Learner;
  private socket: QuorumSocket | null = null;
  private readonly timer: DeadlineTimer;
  /** Proposals logged and not yet applied, decoded, by the Learner's own buffer of each (gone with it). */
  private readonly decoded = new WeakMap<Buffer, ZkTxn>();
  private pipeline: Pipeline | null = null;
  private tree: DataTree;
  private sessions: SessionTracker;
  /**
   * What commits apply to before the learner serves (a SNAP or TRUNC sync, a DIFF before
   * UPTODATE): the tree alone, no watches (no client has set one yet); rebuilt when the tree is.
   */
  private syncTarget: ApplyTarget | null = null;
  /** The tree's digest, checked against the leader's with each txn; rebuilt when the tree is. */
  private digest: DigestCheck;
  /**
   * False from a SNAP or TRUNC until NEWLEADER: ZooKeeper's learner applies those commits
   * without their digests (processTxn with none), since the leader's snapshot may be fuzzy;
   * DIFF txns and everything after NEWLEADER are checked.
   */
  private checkDigests = true;
  private ended: ((reason: string) => void) | null = null;
  readonly done: Promise<string>;
  /**
   * Inputs are handled one at a time, each after the disk work of the one before: the machine
   * calls waiting their turn. Nearly every output is carried out at once (a send, a log
   * append, an apply), so steps run in the call that brings them, with no promise per packet;
   * only a truncate or a snapshot parks the queue until its disk work is done.
   */
  private readonly steps: Step[] = [];
  private draining = false;
  /** The disk work the queue waits for, while it is parked. */
  private parked: Promise<void> | null = null;
  private serving = false;

  constructor(private readonly o: LearnerRoleOptions) {
    const { config, host } = o;
    this.learner = new Learner({
      myId: config.myid, observer: config.role === 'observer',
      initLimitMs: config.initLimit * host.tickTime, syncLimitMs: config.syncLimit * host.tickTime,
    });
    this.tree = o.state.recovered.tree;
    this.sessions = o.state.recovered.sessions;
    // A digest the last term kept saves hashing the whole tree as this one starts.
    this.digest = this.digestOf(this.tree, o.state.digest);
    this.timer = new DeadlineTimer(o.host.clock);
    this.done = new Promise((resolve) => {
      this.ended = resolve;
    });
  }

  async start(): Promise<void> {
    const leader = this.o.config.verifier.server(this.o.leaderId)?.addresses[0];
    if (!leader) return this.finish(`leader ${this.o.leaderId} is not in the config`);
    let socket: import('node:net').Socket | null = null;
    let lastError = '';
    for (let i = 0; i <= CONNECT_WAITS_MS.length && this.ended && !socket; i++) {
      try {
        socket = await QuorumSocket.dial(leader.host, leader.quorumPort, this.o.config.initLimit * this.o.host.tickTime);
      } catch (e) {
        lastError = (e as Error).message;
        if (i < CONNECT_WAITS_MS.length) await new Promise((r) => setTimeout(r, CONNECT_WAITS_MS[i]));
      }
    }
    if (!socket) return this.finish(`cannot reach leader ${this.o.leaderId} at ${leader.host}:${leader.quorumPort}: ${lastError}`);
    if (!this.ended) return void socket.destroy();
    // The local log's fsyncs are the learner's ACKs (and what lets it acknowledge NEWLEADER).
    this.o.state.persistence.onDurable = (zxid) => this.submit(zxid);
    this.socket = new QuorumSocket(socket, 'learner', (input) => this.enqueue(input), (reason) => this.finish(`leader connection: ${reason}`));
    const { recovered } = this.o.state;
    await this.run(this.learner.connect(this.now(), { ...this.o.epochs, lastZxid: recovered.lastZxid }));
  }

  stop(reason: string): void {
    this.finish(reason);
  }

  /**
   * What the term leaves, once the disk work it started is done (a TRUNC or a SNAP's
   * replacement runs on after the term ends): the tree and sessions as synced.
   */
  async end(): Promise<TermEnd> {
    while (this.parked) await this.parked;
    return { tree: this.tree, sessions: this.sessions, digest: this.digest.digest };
  }

  private now(): number {
    return this.o.host.clock.monotonic();
  }

  private enqueue(input: QuorumInput): void {
    const opening = input.kind === 'packet' ? SYNC_OPENINGS.get(input.packet.type) : undefined;
    if (opening && input.kind === 'packet') this.o.host.logger.info({ leader: this.o.leaderId, zxid: `0x${input.packet.zxid.toString(16)}` }, opening);
    this.submit(input);
  }

  /** Queues a step behind the ones before it; runs the queue unless it is running or parked. */
  private submit(step: Step): void {
    this.steps.push(step);
    if (!this.draining) this.drain();
  }

  /** The machine's answer to a step: to an input (none once the term ended), or to the log durable up to a zxid. */
  private outputsOf(step: Step): readonly LearnerOutput[] {
    if (typeof step === 'number') return this.learner.logged(step);
    return this.ended ? this.learner.receive(this.now(), step) : NOTHING;
  }

  private drain(): void {
    this.draining = true;
    let step: Step | undefined;
    while ((step = this.steps.shift()) !== undefined) {
      const waiting = this.run(this.outputsOf(step));
      if (waiting) {
        this.parked = waiting.then(() => {
          this.parked = null;
          this.drain();
        });
        return;
      }
    }
    this.draining = false;
  }

  /**
   * Carries out the machine's outputs in order, from `from`. Returns nothing when all were
   * done at once, or the promise of the rest when one had disk work to wait for.
   */
  private run(outs: readonly LearnerOutput[], from = 0): Promise<void> | undefined {
    for (let i = from; i < outs.length; i++) {
      const o = outs[i]!;
      if (!this.ended) return undefined;
      try {
        const waiting = this.act(o);
        if (waiting !== undefined) return waiting.then(() => this.run(outs, i + 1), (e: unknown) => this.finish(`${o.kind} failed: ${(e as Error).message}`));
      } catch (e) {
        this.finish(`${o.kind} failed: ${(e as Error).message}`);
        return undefined;
      }
    }
    this.arm();
    return undefined;
  }

  private act(o: LearnerOutput): Promise<void> | void {
    const { state, host } = this.o;
    switch (o.kind) {
      case 'send': this.socket?.send(o.packet); return;
      case 'acceptEpoch': return this.o.saveEpoch('accepted', o.epoch);
      case 'currentEpoch': return this.newEpoch(o.epoch);
      case 'truncate': return this.truncate(o.zxid);
      case 'loadSnapshot': {
        const snap = this.o.readSnapshot(o.snapshot, host.tickTime);
        snap.tree.lastProcessedZxid = o.zxid;
        return this.adopt(snap);
      }
      case 'log': {
        if (this.o.config.role !== 'observer') this.o.host.stats.ensemble.learnerProposals++;
        const decoded = decodeZkTxn(o.txn);
        // The same bytes come back in the 'apply' of its COMMIT: decoded once, not twice.
        this.decoded.set(o.txn, decoded);
        state.persistence.append(decoded.txn);
        return;
      }
      case 'apply':
        this.o.host.stats.ensemble.learnerCommits++;
        return this.applyCommitted(o.txn);
      case 'snapshot': return this.snapshot(o.currentEpoch);
      case 'serve': return this.serve();
      case 'answerPing': return this.answerPing(o.zxid);
      case 'revalidated': this.pipeline?.learner?.revalidated(o.sessionId, o.valid); return;
      case 'synced': this.pipeline?.learner?.synced(); return;
      case 'shutdown': return this.finish(o.reason);
    }
  }

  private async truncate(zxid: number): Promise<void> {
    const { state, host } = this.o;
    await state.persistence.truncateAfter(zxid);
    this.adopt(host.recover());
    state.persistence.attach(this.tree, this.sessions);
  }

  /**
   * A tree and sessions from a SNAP or a TRUNC become the learner's, with their own digest;
   * the leader's digests are not checked against it until NEWLEADER.
   */
  private adopt(fresh: { tree: DataTree; sessions: SessionTracker }): void {
    setConfigNode(fresh.tree, this.o.config.verifier, this.o.host.clock.now());
    this.tree = fresh.tree;
    this.syncTarget = null;
    this.digest = this.digestOf(this.tree);
    this.checkDigests = false;
    this.sessions = fresh.sessions;
  }

  private async snapshot(currentEpoch: number): Promise<void> {
    const { state, host } = this.o;
    // The snapshot may be of the new epoch before the currentEpoch file is: should the
    // term end (or the server stop) in between, the marker tells the next load so.
    markUpdatingEpoch(host.dataDir, true);
    await state.persistence.replaceAll(this.tree, this.sessions, this.tree.lastProcessedZxid);
    // Whether or not the term goes on: a snapshot on disk goes with its epoch.
    this.newEpoch(currentEpoch);
    await this.run(this.learner.snapshotted());
  }

  /**
   * Before UPTODATE the tree is ours alone (no clients): apply directly. After, through the
   * pipeline, whose apply stage keeps the same digest. Either way the digest is then checked.
   */
  private applyCommitted(bytes: Buffer): void {
    const { txn, cxid, digest } = this.decoded.get(bytes) ?? decodeZkTxn(bytes);
    this.decoded.delete(bytes);
    const learner = this.pipeline?.learner;
    if (learner) {
      learner.committed(txn, cxid);
    } else {
      const target = this.syncTarget ??= { tree: this.tree, sessions: this.sessions, dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK) };
      this.digest.track(target.tree, txn, () => applyTxn(target, txn));
    }
    this.digest.check(txn.zxid, this.checkDigests ? digest : undefined);
  }

  /** NEWLEADER's epoch is this server's now: on disk, and the leader's digests are checked from here on. */
  private newEpoch(epoch: number): void {
    this.o.saveEpoch('current', epoch);
    this.checkDigests = true;
  }

  /** Outputs carried out beside the queue (a forward, a tick): they only send, never wait on a disk. */
  private runAside(outs: readonly LearnerOutput[]): void {
    void this.run(outs);
  }

  private digestOf(tree: DataTree, kept?: TreeDigest): DigestCheck {
    return new DigestCheck(kept ?? TreeDigest.of(tree), this.o.host.stats, this.o.host.logger);
  }

  private serve(): void {
    const { state, host } = this.o;
    state.persistence.attach(this.tree, this.sessions);
    const recovered = { ...state.recovered, tree: this.tree, sessions: this.sessions, lastZxid: this.tree.lastProcessedZxid };
    this.pipeline = host.buildPipeline(recovered, COMMITTED, { digest: this.digest, forwarder: {
      forward: (sessionId: bigint, cxid: number, op: number, request: Buffer, authInfo: readonly Id[]) => {
        this.runAside(this.learner.forward({ sessionId, cxid, type: op, request }, [...authInfo]));
      },
      revalidate: (sessionId: bigint, timeout: number) => {
        this.runAside(this.learner.revalidate({ sessionId, timeout }));
      },
    } });
    this.serving = true;
    host.serve(this.pipeline);
  }

  private answerPing(zxid: number): void {
    const touches = [...(this.pipeline?.learner?.takeTouches() ?? new Map<bigint, number>())].map(([sessionId, timeout]) => ({ sessionId, timeout }));
    this.socket?.send({ type: PacketType.PING, zxid, data: FROM_LEARNER.PING.encode(touches), authinfo: null });
  }

  private arm(): void {
    if (!this.ended) return this.timer.clear();
    this.timer.arm(this.learner.deadline(), (now) => this.runAside(this.learner.tick(now)));
  }

  private finish(reason: string): void {
    const ended = this.ended;
    if (!ended) return;
    this.ended = null;
    this.timer.clear();
    this.socket?.close('learner stopping');
    if (this.serving) this.o.host.serve(null);
    ended(reason);
  }
}

/**
 * The log a learner's pipeline sees: it never appends (writes go to the leader), and what it
 * applies is committed, so nothing it sends waits for a disk. The learner's own log is driven
 * by the ZAB machine instead.
 */
const COMMITTED: TxnLog = {
  appended: 0,
  durableZxid: Number.MAX_SAFE_INTEGER,
  onDurable: () => {},
  append: () => {
    throw new Error('a learner does not log through its pipeline');
  },
  close: async () => {},
};

