import { FastLeaderElection } from '../election/fast-leader-election.js';
import type { QuorumConfig } from '../config/quorum-config.js';
import { ExitCode, StorageError } from '../../persistence/data-dir.js';
import { RecoveryError } from '../../persistence/recovery.js';
import { setConfigNode } from '../config/config-node.js';
import { ACCEPTED_EPOCH, CURRENT_EPOCH, loadEpochs, markUpdatingEpoch, writeEpochFile } from '../config/epoch-files.js';
import { ElectionDriver } from '../net/election-driver.js';
import { ElectionLinks, type HostPort } from '../net/election-links.js';
import type { Committed } from '../zab/sync-plan.js';
import { LeaderRole } from './leader-role.js';
import { LearnerRole, type LearnerRoleOptions } from './learner-role.js';
import { type TermEnd, nextTermState } from './next-term.js';
import type { LocalState, PeerHost } from './peer-host.js';
import type { LearnerView, PeerRole, QuorumStatus, ZabPhase } from './quorum-status.js';

/** How a peer turns its state into ZooKeeper's serializations for syncing learners. */
export interface SyncCodecs {
  /** Recent txns of the loaded state, oldest first, in ZooKeeper's txn serialization. */
  recent(state: LocalState): Committed[];
  /** Whether a learner behind the window may be synced from the txn log (snapshotSizeFactor >= 0). */
  readonly logSync: boolean;
  /** Committed txns from the txn log for such a learner (see the leader's readLog), or null. */
  older(state: LocalState, from: number, before: number): Committed[] | null;
  /** The SNAP stream (snapshot body, then the signature), a chunk at a time. */
  snapshot(state: LocalState): Iterable<Buffer>;
  readSnapshot: LearnerRoleOptions['readSnapshot'];
}

/**
 * A server of an ensemble (ZooKeeper's QuorumPeer): elect, then lead or learn until that term
 * ends, and elect again over the state it left, for as long as it runs. The election port stays
 * open throughout, so servers that look for a leader learn ours.
 */
export class QuorumPeer implements QuorumStatus {
  role: PeerRole = 'looking';
  leaderId: number | null = null;
  acceptedEpoch = 0;
  currentEpoch = 0;
  private readonly links: ElectionLinks;
  private readonly driver: ElectionDriver;
  private term: LeaderRole | LearnerRole | null = null;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly host: PeerHost, readonly config: QuorumConfig, private readonly codecs: SyncCodecs) {
    const self = config.self.addresses[0]!;
    const peers = new Map<number, HostPort>();
    for (const s of config.verifier.servers) {
      if (s.id !== config.myid) peers.set(s.id, { host: s.addresses[0]!.host, port: s.addresses[0]!.electionPort });
    }
    const fle = new FastLeaderElection({ myId: config.myid, voters: [...config.verifier.voters], observer: config.role === 'observer', config: config.verifier.text });
    this.links = new ElectionLinks({
      myId: config.myid, listen: { host: self.host, port: self.electionPort }, peers,
      connectTimeout: config.cnxTimeout, logger: host.logger.child({ component: 'election' }),
      onNotification: (from, n) => this.driver.onNotification(from, n),
    });
    this.driver = new ElectionDriver(fle, this.links, host.clock);
  }

  get phase(): ZabPhase {
    const t = this.term;
    if (!t) return 'election';
    const s = t instanceof LeaderRole ? t.leader.state : t.learner.state;
    if (s === 'broadcast' || s === 'awaiting-uptodate') return 'broadcast';
    if (s === 'sync' || s === 'syncing' || s === 'flushing' || s === 'awaiting-snapshot') return 'synchronization';
    return 'discovery';
  }

  get serving(): boolean {
    return this.phase === 'broadcast' && this.term !== null;
  }

  learners(): readonly LearnerView[] {
    return this.term instanceof LeaderRole ? this.term.learners() : [];
  }

  get pendingSyncs(): number {
    return this.term instanceof LeaderRole ? this.term.leader.pendingSyncCount : 0;
  }

  get proposalSizes(): { last: number; min: number; max: number } {
    return this.term instanceof LeaderRole ? this.term.proposalSizes : { last: -1, min: -1, max: -1 };
  }

  /** Opens the election port (a busy port rejects) and starts electing. */
  async start(): Promise<void> {
    const self = this.config.self.addresses[0]!;
    await this.links.start(this.config.quorumListenOnAllIPs ? '0.0.0.0' : self.host);
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.term?.stop('server stopping');
    this.driver.stop();
    this.links.close();
    await this.running;
  }

  /**
   * Terms one after another over one state: loaded from disk at the start, then carried from
   * each term to the next (nextTermState), and loaded again only when it cannot be (or after
   * a failed term).
   */
  private async loop(): Promise<void> {
    let state: LocalState | null = null;
    while (!this.stopped) {
      try {
        state ??= this.host.load();
        // As ZooKeeper's initConfigInZKDatabase: /zookeeper/config holds the ensemble's config.
        setConfigNode(state.recovered.tree, this.config.verifier, this.host.clock.now());
        const end = await this.oneTerm(state);
        state = end === null ? state : await this.carry(state, end);
      } catch (e) {
        await state?.persistence.close().catch(() => {});
        state = null;
        await this.failedTerm(e);
      } finally {
        this.term = null;
        this.role = 'looking';
        this.host.serve(null);
      }
    }
    await state?.persistence.close();
  }

  /** The next term's state from this one's, or null (after closing its persistence) to load it from disk. */
  private async carry(state: LocalState, end: TermEnd): Promise<LocalState | null> {
    const t0 = performance.now();
    const next = await nextTermState(state, end);
    const ms = Math.round(performance.now() - t0);
    if (next) {
      this.host.logger.info({ zxid: `0x${next.recovered.lastZxid.toString(16)}`, nodes: end.tree.size, ms }, 'keeping the tree for the next term');
      return next;
    }
    this.host.logger.info({ ms }, 'the tree does not end where the log does: reloading from disk');
    await state.persistence.close();
    return null;
  }

  /** An epoch the leader or learner machine moved to: on disk, in the status, in election answers. */
  private saveEpoch(which: 'accepted' | 'current', epoch: number): void {
    writeEpochFile(this.host.dataDir, which === 'accepted' ? ACCEPTED_EPOCH : CURRENT_EPOCH, epoch);
    // A NEWLEADER snapshot before it is now covered by the epoch (see markUpdatingEpoch).
    if (which === 'current') markUpdatingEpoch(this.host.dataDir, false);
    if (which === 'accepted') {
      this.acceptedEpoch = epoch;
      return;
    }
    if (epoch !== this.currentEpoch) this.driver.election.updatePeerEpoch(epoch);
    this.currentEpoch = epoch;
  }

  /**
   * Data that will not load (or epochs that contradict it) will not load on a retry either: the
   * server stops, as ZooKeeper's loadDataBase ends the process. Anything else (a busy quorum
   * port, say) is retried after a tick, not in a tight loop.
   */
  private async failedTerm(e: unknown): Promise<void> {
    if (e instanceof StorageError || e instanceof RecoveryError) {
      this.stopped = true;
      this.driver.stop();
      this.links.close();
      const err = e instanceof StorageError ? e : new StorageError(e.message, ExitCode.unexpectedError, { cause: e });
      this.host.logger.fatal({ err: e }, err.message);
      this.host.stopOnStorageFailure(err);
      return;
    }
    this.host.logger.error({ err: e }, 'ensemble term failed; electing again after a tick');
    await new Promise((r) => setTimeout(r, this.host.tickTime));
  }

  /** Elects, then leads or learns until the term ends; resolves with what it leaves (null if no term began). */
  private async oneTerm(state: LocalState): Promise<TermEnd | null> {
    const lastZxid = state.recovered.lastZxid;
    const epochs = loadEpochs(this.host.dataDir, lastZxid);
    this.acceptedEpoch = epochs.acceptedEpoch;
    this.currentEpoch = epochs.currentEpoch;
    this.role = 'looking';
    this.leaderId = null;
    const counters = this.host.stats.ensemble;
    counters.looking++;
    const lookingSince = this.host.clock.monotonic();
    const decision = await this.driver.lookForLeader(lastZxid, epochs.currentEpoch);
    if (this.stopped || decision === null) return null;
    counters.electionTime.observe(Math.round(this.host.clock.monotonic() - lookingSince));
    this.role = decision.state;
    this.leaderId = decision.vote.leader;
    this.host.logger.info({ role: decision.state, leader: decision.vote.leader, zxid: `0x${lastZxid.toString(16)}` }, 'election decided');
    const common = { host: this.host, config: this.config, epochs, state, saveEpoch: (w: 'accepted' | 'current', e: number) => this.saveEpoch(w, e) };
    const term = decision.state === 'leading'
      ? new LeaderRole({ ...common, codecs: this.codecs })
      : new LearnerRole({ ...common, leaderId: decision.vote.leader, readSnapshot: this.codecs.readSnapshot });
    this.term = term;
    await term.start();
    const reason = await term.done;
    this.host.logger.warn({ role: decision.state, reason }, 'left the ensemble role');
    return term.end();
  }
}
