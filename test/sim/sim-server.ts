import { type ElectionOutput, FastLeaderElection } from '../../packages/coord-server/src/quorum/election/fast-leader-election.js';
import type { Notification } from '../../packages/coord-server/src/quorum/election/vote.js';
import { type TermEnd, nextTermState } from '../../packages/coord-server/src/quorum/peer/next-term.js';
import type { LocalState } from '../../packages/coord-server/src/quorum/peer/peer-host.js';
import type { Persistence } from '../../packages/coord-server/src/persistence/persistence.js';
import type { SessionTracker } from '../../packages/coord-server/src/session/session-tracker.js';
import type { DataTree } from '../../packages/coord-server/src/tree/data-tree.js';
import { ClientPort } from './client-port.js';
import { Deadline } from './deadline.js';
import { Hist, txnKey } from './hist.js';
import { LeaderDriver } from './leader-driver.js';
import { LearnerDriver } from './learner-driver.js';
import { SimClock } from './sim-clock.js';
import { SimDisk } from './sim-disk.js';
import type { World } from './world.js';

/** The ensemble config text every server sends (NEWLEADER, notifications): any fixed text does. */
export const CONFIG_TEXT = 'version=0';
/** Election resends on the simulated clock: ZooKeeper's first interval, a shorter cap on its back-off (60 s there). */
const RESEND = { minNotificationInterval: 200, maxNotificationInterval: 1600 };

/** SIM_TRACE_VOTES=1 puts every notification a server takes in the trace. */
const TRACE_VOTES = process.env.SIM_TRACE_VOTES === '1';

const hex = (z: number): string => `0x${z.toString(16)}`;

type Phase = 'down' | 'looking' | 'leading' | 'following' | 'ending';

/**
 * One server of the simulated ensemble, driven as the real QuorumPeer drives itself: load the
 * data, elect (the real FastLeaderElection), lead or learn (LeaderDriver, LearnerDriver around
 * the real Leader and Learner machines) until the term ends, then carry the state into the
 * next term with the real nextTermState (or reload it from disk) and elect again. A crash
 * loses its memory and what its disk had not synced.
 */
export class SimServer {
  up = false;
  phase: Phase = 'down';
  readonly disk: SimDisk;
  readonly clock: SimClock;
  readonly clients: ClientPort;
  role: LeaderDriver | LearnerDriver | null = null;
  /** The txns the current tree was built from (invariant bookkeeping). */
  hist = new Hist();
  /** Bumped by every crash and restart: callbacks of an older life do nothing. */
  incarnation = 0;
  private fle: FastLeaderElection | null = null;
  private local: LocalState | null = null;
  private cur: { tree: DataTree; sessions: SessionTracker } | null = null;
  private electionTimer: Deadline | null = null;

  constructor(readonly world: World, readonly id: number, rate: number, offset: number) {
    this.disk = new SimDisk(world, id);
    this.clock = new SimClock(world, rate, offset);
    this.clients = new ClientPort(this);
  }

  get hasState(): boolean {
    return this.cur !== null;
  }

  get tree(): DataTree {
    return this.cur!.tree;
  }

  get sessions(): SessionTracker {
    return this.cur!.sessions;
  }

  /** The last zxid the state loaded or carried into this term holds in its log (what the vote says). */
  get lastLoggedZxid(): number {
    return this.local!.recovered.lastZxid;
  }

  get serving(): boolean {
    return this.role?.serving ?? false;
  }

  now(): number {
    return this.clock.monotonic();
  }

  start(): void {
    this.up = true;
    this.incarnation++;
    const problem = this.disk.epochProblem();
    if (problem) this.world.inv.fail(`server ${this.id} will not start: its data dir does not load (${problem})`);
    this.reload();
    const timings = { ...RESEND, finalizeWait: this.world.knobs.finalizeMs };
    const fle = new FastLeaderElection({ myId: this.id, voters: this.world.ids, observer: false, config: CONFIG_TEXT }, timings);
    this.fle = fle;
    this.electionTimer = new Deadline(this.world, this.clock, () => fle.deadline(), () => this.applyElection(fle.tick(this.now())));
    this.clients.listen();
    this.trace('start', this.disk.describe());
    this.elect();
  }

  crash(): void {
    if (!this.up) return;
    this.trace('crash', `lost ${this.disk.unsynced} unsynced txns`);
    if (this.disk.unsynced > 0) this.world.cov.bump('crashLostUnsynced');
    this.up = false;
    this.incarnation++;
    this.phase = 'down';
    this.role?.abort();
    this.role = null;
    this.electionTimer?.clear();
    this.electionTimer = null;
    this.fle = null;
    this.clients.crash();
    this.world.net.crash(this.id);
    this.disk.crash();
    this.world.inv.crashed(this.id);
    this.local = null;
    this.cur = null;
  }

  /** The tree was replaced during a term (SNAP, TRUNC): from now on the term works on this one. */
  replaceState(tree: DataTree, sessions: SessionTracker, hist: Hist): void {
    this.cur = { tree, sessions };
    this.hist = hist;
    this.world.inv.histReplaced(this);
  }

  /** An epoch the machine moved to: on disk at once (writeEpochFile syncs), and in election answers. */
  saveEpoch(which: 'accepted' | 'current', epoch: number): void {
    const before = { accepted: this.disk.acceptedEpoch ?? 0, current: this.disk.currentEpoch ?? 0 };
    this.world.inv.epochSaved(this.id, which, epoch, before);
    this.disk.writeEpoch(which, epoch);
    if (which === 'current' && epoch !== before.current) this.fle?.updatePeerEpoch(epoch);
    this.trace(`${which}Epoch`, String(epoch));
  }

  onNotification(from: number, n: Notification): void {
    if (!this.up || !this.fle) return;
    if (TRACE_VOTES) this.trace('vote', `from s${from}: ${n.state} leader ${n.leader} zxid 0x${n.zxid.toString(16)} round ${n.electionEpoch} peerEpoch ${n.peerEpoch}; mine: ${this.fle.state} round ${this.fle.logicalClock}`);
    this.applyElection(this.fle.receive(this.now(), from, n));
  }

  /**
   * The role ended (its machine stepped down, or it lost its leader): as QuorumPeer, wait for
   * the log to be flushed, then keep the tree for the next term or reload it from disk.
   */
  termEnded(reason: string, end: TermEnd): void {
    this.trace('termEnded', reason);
    this.role = null;
    this.phase = 'ending';
    this.clients.dropAll();
    const life = this.incarnation;
    this.disk.whenFlushed(() => {
      if (life !== this.incarnation) return;
      const before = end.tree.lastProcessedZxid;
      this.world.await(nextTermState(this.local!, end).then((next) => {
        if (life !== this.incarnation) return;
        if (next) this.keep(next, before);
        else this.reloadAfterTerm();
        this.elect();
      }));
    });
  }

  /**
   * The tree goes on into the next term: it must be the tree a reload from disk would give
   * (nextTermState's own claim): built from the same txns, as the disk's history says.
   */
  private keep(next: LocalState, before: number): void {
    this.world.cov.bump('termKeptTree');
    const window = this.disk.recent.list();
    for (const txn of window) {
      if (txn.zxid <= before) continue;
      const key = txnKey(txn);
      this.world.inv.txnSeen(this.id, txn, key);
      if (!this.hist.add(txn.zxid, key)) this.world.inv.fail(`server ${this.id} fast-forwarded 0x${txn.zxid.toString(16)} onto a tree at 0x${this.hist.last.toString(16)}`);
    }
    const { tree, sessions } = next.recovered;
    const disk = this.disk.history();
    if (!disk.equals(this.hist)) {
      const missing = disk.missingFrom(this.hist).map(hex);
      const skipped = window.length > 0 && before < window[0]!.zxid && missing.length > 0 ? `, the window of recent txns starting at ${hex(window[0]!.zxid)} with the tree at ${hex(before)}` : '';
      this.world.inv.fail(`server ${this.id} carried a tree into its next term that differs from a reload of its disk: it lacks logged txns ${missing.join(', ') || '(none; it has txns the disk lacks)'}${skipped}`);
    }
    this.local = next;
    this.cur = { tree, sessions };
  }

  private reloadAfterTerm(): void {
    this.world.cov.bump('termReloaded');
    this.reload();
    this.world.inv.histReplaced(this);
  }

  private reload(): void {
    const loaded = this.disk.load(this.clock);
    this.local = {
      recovered: { tree: loaded.tree, sessions: loaded.sessions, lastZxid: loaded.lastZxid, snapshotZxid: 0, replayed: 0, truncated: null, recent: this.disk.recent },
      persistence: this.disk as unknown as Persistence,
    };
    this.cur = { tree: loaded.tree, sessions: loaded.sessions };
    this.hist = loaded.hist;
  }

  private elect(): void {
    const problem = this.disk.epochProblem();
    if (problem) this.world.inv.fail(`server ${this.id} cannot start a term: its data dir does not load (${problem})`);
    this.phase = 'looking';
    const { currentEpoch } = this.disk.epochs();
    this.trace('looking', `zxid 0x${this.lastLoggedZxid.toString(16)} epoch ${currentEpoch}`);
    this.applyElection(this.fle!.lookForLeader(this.now(), this.lastLoggedZxid, currentEpoch));
  }

  private applyElection(outs: readonly ElectionOutput[]): void {
    for (const o of outs) {
      if (o.kind === 'send') {
        const n = o.notification;
        const to = this.world.server(o.to);
        this.world.net.datagram(this.id, o.to, () => to.onNotification(this.id, n));
      } else {
        this.startTerm(o.state === 'leading', o.vote.leader);
      }
    }
    this.electionTimer?.arm();
  }

  private startTerm(leading: boolean, leader: number): void {
    this.world.cov.bump(leading ? 'termsLed' : 'termsFollowed');
    this.phase = leading ? 'leading' : 'following';
    this.trace('decided', `${leading ? 'leading' : `following ${leader}`} at 0x${this.lastLoggedZxid.toString(16)}`);
    const epochs = this.disk.epochs();
    this.role = leading ? new LeaderDriver(this, epochs, this.lastLoggedZxid) : new LearnerDriver(this, epochs, leader);
    this.role.start();
  }

  trace(what: string, detail: string | (() => string) = ''): void {
    this.world.trace.add(this.world.step, this.world.now, this.id, what, detail);
  }

  describe(): string {
    if (!this.up) return `s${this.id} down; disk: ${this.disk.describe()}`;
    const role = this.role?.describe() ?? this.phase;
    return `s${this.id} ${role}; tree at 0x${this.cur?.tree.lastProcessedZxid.toString(16)}, ${this.hist.size} txns; disk: ${this.disk.describe()}`;
  }
}
