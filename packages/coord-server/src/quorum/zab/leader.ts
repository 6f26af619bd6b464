import { PacketType, packetTypeName } from '../wire/packet-types.js';
import type { QuorumPacket } from '../wire/quorum-packet.js';
import { FROM_LEADER, FROM_LEARNER, type ForwardedRequest, type SessionTouch, ZAB_PROTOCOL_VERSION } from '../wire/zab-payloads.js';
import { epochOf, makeZxid } from '../zxid.js';
import { followsInHistory } from '../../persistence/log-walk.js';
import { Proposals } from './proposals.js';
import { type Committed, planSync } from './sync-plan.js';

export interface LeaderOptions {
  readonly myId: number;
  readonly voters: readonly number[];
  readonly tickMs: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  /** NEWLEADER's data: the ensemble config text. */
  readonly config: string;
  /** Recent commits kept for DIFF sync (ZooKeeper's commitLogCount: 500). */
  readonly windowSize?: number;
  /**
   * Before a snapshot for a learner behind the window, ask the driver for the older commits
   * from the txn log (readLog; ZooKeeper's sync from the txn log, snapshotSizeFactor >= 0).
   */
  readonly logSync?: boolean;
}

/** What the leader starts from: its epochs, its last zxid and its recent commits. */
export interface LeaderStart {
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  readonly lastZxid: number;
  readonly recent: readonly Committed[];
}

/** Learner connections are named by the driver; a learner's server id comes with its INFO. */
type Conn = number;

export type LeaderOutput =
  | { readonly kind: 'send'; readonly conn: Conn; readonly packet: QuorumPacket }
  /** Send SNAP with this zxid, then the tree as it is now and the signature. */
  | { readonly kind: 'sendSnapshot'; readonly conn: Conn; readonly zxid: number }
  /**
   * A learner is behind the window: answer `logRead` with the committed txns of the txn log
   * from the last one at or before `from` up to `before` (not included), or null when the log
   * does not hold them or they would cost more than a snapshot.
   */
  | { readonly kind: 'readLog'; readonly conn: Conn; readonly from: number; readonly before: number }
  | { readonly kind: 'close'; readonly conn: Conn; readonly reason: string }
  | { readonly kind: 'acceptEpoch'; readonly epoch: number }
  | { readonly kind: 'currentEpoch'; readonly epoch: number }
  /** A quorum is in sync: serve clients; new zxids follow `zxid` (the epoch's first). */
  | { readonly kind: 'lead'; readonly zxid: number }
  /** A proposal has a quorum: apply it and answer its client. */
  | { readonly kind: 'commit'; readonly zxid: number; readonly txn: Buffer }
  /** A learner forwards a client's request: run it through prep as if local. */
  | { readonly kind: 'request'; readonly conn: Conn; readonly request: ForwardedRequest; readonly authinfo: QuorumPacket['authinfo'] }
  | { readonly kind: 'revalidate'; readonly conn: Conn; readonly session: SessionTouch }
  /** Sessions a learner's clients kept alive. */
  | { readonly kind: 'touch'; readonly sessions: readonly SessionTouch[] }
  /**
   * Stop taking new writes until `release`: a learner needs a snapshot, which must be of
   * committed state, and proposals are in flight (the leader's tree holds them already).
   */
  | { readonly kind: 'hold' }
  | { readonly kind: 'release' }
  | { readonly kind: 'shutdown'; readonly reason: string };

/**
 * info: until FOLLOWERINFO; epoch: until the epoch is decided; ackepoch: until its ACKEPOCH;
 * epoch-acked: until a quorum has acked; newleader: synced, until its NEWLEADER ACK; uptodate:
 * until the leader serves; broadcast: following.
 */
type LearnerPhase = 'info' | 'epoch' | 'ackepoch' | 'epoch-acked' | 'newleader' | 'uptodate' | 'broadcast';
type Phase = 'discovery' | 'epoch-ack' | 'sync' | 'broadcast' | 'stopped';

/**
 * What the leader counts of one learner connection, as ZooKeeper's LearnerHandler does for the
 * leader's `observers` command: packets through its send queue (LEADERINFO and the SNAP packet
 * are written past the queue and not counted), packets read once the learner has acknowledged
 * NEWLEADER, REQUESTs among them, and the last zxid sent (of packets with one above 0).
 */
export class LearnerCounters {
  packetsSent = 0;
  packetsReceived = 0;
  requests = 0;
  lastZxid = -1;

  /** `connectedAt`: monotonic ms when the connection came (ZooKeeper's `established`). */
  constructor(readonly connectedAt: number) {}

  /** orst: ZooKeeper's resetObserverConnectionStats. */
  reset(): void {
    this.packetsSent = this.packetsReceived = this.requests = 0;
    this.lastZxid = -1;
  }
}

interface Learner {
  readonly conn: Conn;
  sid: number;
  observer: boolean;
  phase: LearnerPhase;
  peerLastZxid: number;
  lastHeard: number;
  /** Commits older than the window read from the txn log for this learner's sync, once asked. */
  older?: { readonly windowStart: number | null; readonly lastCommitted: number; txns: readonly Committed[] | null };
  readonly counters: LearnerCounters;
}

const packet = (type: number, zxid: number, data: Buffer | null = null): QuorumPacket => ({ type, zxid, data, authinfo: null });

/**
 * The leader's side of ZAB, as ZooKeeper 3.8's Leader and LearnerHandler run it, as a pure state
 * machine. Discovery: the new epoch is one past the largest accepted epoch of a quorum
 * (FOLLOWERINFO, LEADERINFO); a quorum acknowledges it (ACKEPOCH; a learner ahead of the
 * leader is refused). Sync: each learner gets DIFF, TRUNC or SNAP, the commits it lacks, the
 * proposals in flight, then NEWLEADER; once a quorum has acknowledged NEWLEADER the leader
 * serves and each learner gets UPTODATE. Broadcast: PROPOSAL to followers, COMMIT once a
 * quorum has ACKed (the leader's own ACK is its fsync), INFORM to observers, SYNC after the
 * proposals before it, PINGs every half tick; without a quorum heard from within syncLimit
 * ticks, it steps down.
 */
export class Leader {
  private phase: Phase = 'discovery';
  private readonly learners = new Map<Conn, Learner>();
  private readonly voters: ReadonlySet<number>;
  private readonly proposals: Proposals;
  private epoch = -1;
  private readonly connecting = new Set<number>();
  private readonly electing = new Set<number>();
  private readonly newLeaderAcks = new Set<number>();
  private phaseStarted = 0;
  private nextPing = 0;
  private readonly pendingSyncs = new Map<number, Conn[]>();
  /** Learners whose snapshot waits for the proposals in flight to commit. */
  private readonly snapWaiting: Learner[] = [];
  private out: LeaderOutput[] = [];

  constructor(private readonly opts: LeaderOptions, private readonly start: LeaderStart) {
    this.voters = new Set(opts.voters);
    this.proposals = new Proposals(this.voters, start.lastZxid, start.recent, opts.windowSize ?? 500);
  }

  get state(): Phase {
    return this.phase;
  }

  /** The epoch's first zxid once discovery decided it, else -1. */
  get newEpochZxid(): number {
    return this.epoch < 0 ? -1 : makeZxid(this.epoch, 0);
  }

  /** Followers (voters) and observers in sync with us right now (for `mntr`). */
  synced(): { followers: number[]; observers: number[] } {
    const inSync = [...this.learners.values()].filter((l) => l.phase === 'broadcast');
    return { followers: inSync.filter((l) => !l.observer).map((l) => l.sid), observers: inSync.filter((l) => l.observer).map((l) => l.sid) };
  }

  /** Learners that have said who they are. */
  connectedLearners(): { conn: Conn; sid: number; observer: boolean; counters: LearnerCounters }[] {
    return [...this.learners.values()].filter((l) => l.sid >= 0).map((l) => ({ conn: l.conn, sid: l.sid, observer: l.observer, counters: l.counters }));
  }

  /** Forwarded syncs waiting for the proposals before them. */
  get pendingSyncCount(): number {
    let n = 0;
    for (const list of this.pendingSyncs.values()) n += list.length;
    return n;
  }

  /** Starts discovery; the leader counts as the first to connect. */
  begin(now: number): LeaderOutput[] {
    this.phaseStarted = now;
    this.offerEpoch(now, this.opts.myId, this.start.acceptedEpoch);
    return this.flush();
  }

  connected(now: number, conn: Conn): LeaderOutput[] {
    this.learners.set(conn, { conn, sid: -1, observer: false, phase: 'info', peerLastZxid: -1, lastHeard: now, counters: new LearnerCounters(now) });
    return [];
  }

  disconnected(conn: Conn): LeaderOutput[] {
    this.learners.delete(conn);
    return [];
  }

  receive(now: number, conn: Conn, p: QuorumPacket): LeaderOutput[] {
    const l = this.learners.get(conn);
    if (!l || this.phase === 'stopped') return [];
    l.lastHeard = now;
    if (l.phase === 'uptodate' || l.phase === 'broadcast') l.counters.packetsReceived++;
    try {
      this.dispatch(now, l, p);
    } catch (e) {
      this.drop(l, `bad ${packetTypeName(p.type)}: ${(e as Error).message}`);
    }
    return this.flush();
  }

  /** A write prepped here (local or forwarded) to replicate; zxids come from the pipeline, in order. */
  propose(zxid: number, txn: Buffer): LeaderOutput[] {
    this.proposals.add(zxid, txn);
    const p = packet(PacketType.PROPOSAL, zxid, txn);
    for (const l of this.learners.values()) if (this.forwarding(l) && !l.observer) this.send(l, p);
    return this.flush();
  }

  /** The leader's own log is durable up to `zxid`: its ACK of every proposal up to there. */
  logged(zxid: number): LeaderOutput[] {
    this.commitAll(this.proposals.ack(this.opts.myId, zxid, true));
    return this.flush();
  }

  /** A learner's forwarded sync: answered once every proposal before it has committed. */
  sync(conn: Conn): LeaderOutput[] {
    if (this.proposals.inFlight === 0) this.sendTo(conn, packet(PacketType.SYNC, 0));
    else this.pendingSyncs.set(this.proposals.lastProposed, [...(this.pendingSyncs.get(this.proposals.lastProposed) ?? []), conn]);
    return this.flush();
  }

  /** The answer to `readLog`: the learner's sync goes on, by DIFF or TRUNC from them if they reach. */
  logRead(conn: Conn, txns: readonly Committed[] | null): LeaderOutput[] {
    const l = this.learners.get(conn);
    if (l?.older && l.older.txns === null && l.phase === 'epoch-acked') {
      l.older.txns = txns !== null && this.joinsWindow(l.older, txns) ? txns : [];
      this.syncLearner(l);
    }
    return this.flush();
  }

  /**
   * Whether commits read from the log end right where the window starts (or, with no window
   * when asked, at the last commit then), and the window has not moved past them meanwhile.
   */
  private joinsWindow(asked: { windowStart: number | null; lastCommitted: number }, txns: readonly Committed[]): boolean {
    const last = txns.at(-1)?.zxid;
    const first = this.proposals.recent()[0]?.zxid ?? null;
    if (last === undefined) return false;
    if (asked.windowStart === null) return last === asked.lastCommitted && (first === null || followsInHistory(last, first));
    return first === asked.windowStart && followsInHistory(last, first);
  }

  /** The answer to a learner's REVALIDATE. */
  revalidated(conn: Conn, sessionId: bigint, valid: boolean): LeaderOutput[] {
    this.sendTo(conn, packet(PacketType.REVALIDATE, -1, FROM_LEADER.REVALIDATE.encode({ sessionId, valid })));
    return this.flush();
  }

  deadline(): number {
    if (this.phase === 'stopped') return Number.POSITIVE_INFINITY;
    if (this.phase !== 'broadcast') return this.phaseStarted + this.initLimitMs() + 1;
    return this.nextPing;
  }

  tick(now: number): LeaderOutput[] {
    if (this.phase === 'stopped') return [];
    if (this.phase !== 'broadcast') {
      if (now - this.phaseStarted > this.initLimitMs()) this.stop(`timeout in ${this.phase}: no quorum within initLimit`);
      return this.flush();
    }
    if (now < this.nextPing) return [];
    this.nextPing = now + this.opts.tickMs / 2;
    const heard = [this.opts.myId];
    for (const l of [...this.learners.values()]) {
      // A learner still syncing (loading and writing a snapshot, say) sends nothing until its
      // NEWLEADER ACK and has initLimit for that, as LearnerHandler's socket timeout gives it.
      const synced = l.phase === 'broadcast' || l.phase === 'uptodate';
      const [limit, name] = synced ? [this.opts.syncLimit * this.opts.tickMs, 'syncLimit'] : [this.initLimitMs(), 'initLimit'];
      if (now - l.lastHeard > limit) this.drop(l, `no packet for ${now - l.lastHeard} ms (${name} ${limit} ms)`);
      else if (synced) heard.push(l.sid);
    }
    if (!this.proposals.hasQuorum(heard)) {
      this.stop(`not sufficient followers synced, only synced with sids: [ ${heard.join(',')} ]`);
      return this.flush();
    }
    const ping = packet(PacketType.PING, this.proposals.lastProposed);
    for (const l of this.learners.values()) if (this.forwarding(l)) this.send(l, ping);
    return this.flush();
  }

  private initLimitMs(): number {
    return this.opts.initLimit * this.opts.tickMs;
  }

  private flush(): LeaderOutput[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private send(l: Learner, p: QuorumPacket): void {
    this.out.push({ kind: 'send', conn: l.conn, packet: p });
    if (p.type === PacketType.LEADERINFO) return;
    l.counters.packetsSent++;
    if (p.zxid > 0) l.counters.lastZxid = p.zxid;
  }

  private sendTo(conn: Conn, p: QuorumPacket): void {
    const l = this.learners.get(conn);
    if (l) this.send(l, p);
  }

  private drop(l: Learner, reason: string): void {
    this.learners.delete(l.conn);
    this.out.push({ kind: 'close', conn: l.conn, reason });
  }

  private stop(reason: string): void {
    this.phase = 'stopped';
    for (const l of this.learners.values()) this.out.push({ kind: 'close', conn: l.conn, reason: 'leader stepping down' });
    this.learners.clear();
    this.out.push({ kind: 'shutdown', reason });
  }

  /** Learners past their sync's first packet get every proposal and commit. */
  private forwarding(l: Learner): boolean {
    return l.phase === 'newleader' || l.phase === 'uptodate' || l.phase === 'broadcast';
  }

  private dispatch(now: number, l: Learner, p: QuorumPacket): void {
    if (l.phase === 'info') return this.onInfo(now, l, p);
    if (l.phase === 'ackepoch') return this.onAckEpoch(now, l, p);
    switch (p.type) {
      case PacketType.ACK: return this.onAck(l, p.zxid);
      case PacketType.PING: this.out.push({ kind: 'touch', sessions: FROM_LEARNER.PING.decode(p.data) }); return;
      case PacketType.REVALIDATE: this.out.push({ kind: 'revalidate', conn: l.conn, session: FROM_LEARNER.REVALIDATE.decode(p.data) }); return;
      case PacketType.REQUEST:
        l.counters.requests++;
        this.out.push({ kind: 'request', conn: l.conn, request: FROM_LEARNER.REQUEST.decode(p.data), authinfo: p.authinfo });
        return;
      default: return; // ZooKeeper ignores other packets from a learner
    }
  }

  private onInfo(now: number, l: Learner, p: QuorumPacket): void {
    if (p.type !== PacketType.FOLLOWERINFO && p.type !== PacketType.OBSERVERINFO) return this.drop(l, `first packet was ${packetTypeName(p.type)}, not FOLLOWERINFO or OBSERVERINFO`);
    const info = FROM_LEARNER.FOLLOWERINFO.decode(p.data);
    if (info.protocolVersion < ZAB_PROTOCOL_VERSION) return this.drop(l, `learner ${info.serverId} speaks ZAB before 1.0`);
    l.sid = info.serverId;
    l.observer = p.type === PacketType.OBSERVERINFO;
    l.phase = 'epoch';
    this.offerEpoch(now, l.sid, epochOf(p.zxid));
  }

  /** getEpochToPropose: a quorum (with us) names its accepted epochs; ours is one past them all. */
  private offerEpoch(now: number, sid: number, acceptedEpoch: number): void {
    if (this.phase === 'discovery') {
      if (acceptedEpoch >= this.epoch) this.epoch = acceptedEpoch + 1;
      if (this.voters.has(sid)) this.connecting.add(sid);
      if (!this.connecting.has(this.opts.myId) || !this.proposals.hasQuorum(this.connecting)) return;
      this.phase = 'epoch-ack';
      this.phaseStarted = now;
      this.out.push({ kind: 'acceptEpoch', epoch: this.epoch });
      this.electing.add(this.opts.myId);
    }
    const info = FROM_LEADER.LEADERINFO.encode(ZAB_PROTOCOL_VERSION);
    for (const l of this.learners.values()) {
      if (l.phase !== 'epoch') continue;
      l.phase = 'ackepoch';
      this.send(l, packet(PacketType.LEADERINFO, this.newEpochZxid, info));
    }
  }

  /** waitForEpochAck: refuse a learner ahead of us; a quorum of acks ends discovery. */
  private onAckEpoch(now: number, l: Learner, p: QuorumPacket): void {
    if (p.type !== PacketType.ACKEPOCH) return this.drop(l, `expected ACKEPOCH, got ${packetTypeName(p.type)}`);
    const currentEpoch = FROM_LEARNER.ACKEPOCH.decode(p.data);
    const { currentEpoch: ourEpoch, lastZxid } = this.start;
    if (currentEpoch !== -1 && (currentEpoch > ourEpoch || (currentEpoch === ourEpoch && p.zxid > lastZxid))) {
      return this.drop(l, `follower ${l.sid} is ahead of the leader (epoch ${currentEpoch}, zxid 0x${p.zxid.toString(16)})`);
    }
    l.peerLastZxid = p.zxid;
    l.phase = 'epoch-acked';
    if (this.phase !== 'epoch-ack') return this.syncLearner(l);
    if (currentEpoch !== -1 && p.zxid !== -1 && this.voters.has(l.sid)) this.electing.add(l.sid);
    if (!this.proposals.hasQuorum(this.electing)) return;
    this.phase = 'sync';
    this.phaseStarted = now;
    this.out.push({ kind: 'currentEpoch', epoch: this.epoch });
    this.newLeaderAcks.add(this.opts.myId);
    for (const w of this.learners.values()) if (w.phase === 'epoch-acked') this.syncLearner(w);
  }

  /** syncFollower + startForwarding + NEWLEADER for one learner. */
  private syncLearner(l: Learner): void {
    const recent = this.proposals.recent();
    const plan = planSync(l.peerLastZxid, this.proposals.lastCommitted, l.older?.txns ? [...l.older.txns, ...recent] : recent);
    if (plan.mode === 'snap' && this.opts.logSync && !l.older && l.peerLastZxid > 0) {
      const windowStart = recent[0]?.zxid ?? null;
      l.older = { windowStart, lastCommitted: this.proposals.lastCommitted, txns: null };
      // Only what is committed: with no window yet, the log may end in proposals in flight.
      this.out.push({ kind: 'readLog', conn: l.conn, from: l.peerLastZxid, before: windowStart ?? this.proposals.lastCommitted + 1 });
      return;
    }
    if (plan.mode === 'snap' && this.proposals.inFlight > 0) {
      if (this.snapWaiting.length === 0) this.out.push({ kind: 'hold' });
      this.snapWaiting.push(l);
      return;
    }
    l.phase = 'newleader';
    if (plan.mode === 'snap') this.out.push({ kind: 'sendSnapshot', conn: l.conn, zxid: plan.zxid });
    else this.send(l, packet(plan.mode === 'diff' ? PacketType.DIFF : PacketType.TRUNC, plan.zxid));
    for (const c of plan.proposals) {
      this.send(l, packet(PacketType.PROPOSAL, c.zxid, c.txn));
      this.send(l, packet(PacketType.COMMIT, c.zxid));
    }
    if (!l.observer) for (const c of this.proposals.after(plan.lastQueued)) this.send(l, packet(PacketType.PROPOSAL, c.zxid, c.txn));
    this.send(l, packet(PacketType.NEWLEADER, this.newEpochZxid, Buffer.from(this.opts.config, 'utf8')));
  }

  private onAck(l: Learner, zxid: number): void {
    if (l.phase === 'newleader') {
      // The first ACK after NEWLEADER acknowledges it (a wrong zxid is not counted, as in ZooKeeper).
      l.phase = 'uptodate';
      if (zxid === this.newEpochZxid && this.voters.has(l.sid)) this.newLeaderAcks.add(l.sid);
      if (this.phase === 'sync' && this.proposals.hasQuorum(this.newLeaderAcks)) this.startLeading();
      else if (this.phase === 'broadcast') this.upToDate(l);
      return;
    }
    if (zxid % 2 ** 32 === 0 || l.observer) return; // UPTODATE's ACK, or an observer's
    this.commitAll(this.proposals.ack(l.sid, zxid));
  }

  private startLeading(): void {
    this.phase = 'broadcast';
    this.out.push({ kind: 'lead', zxid: this.newEpochZxid });
    for (const l of this.learners.values()) if (l.phase === 'uptodate') this.upToDate(l);
  }

  private upToDate(l: Learner): void {
    l.phase = 'broadcast';
    this.send(l, packet(PacketType.UPTODATE, -1));
  }

  private commitAll(committed: readonly Committed[]): void {
    for (const c of committed) {
      this.out.push({ kind: 'commit', zxid: c.zxid, txn: c.txn });
      const commit = packet(PacketType.COMMIT, c.zxid);
      // Observers get the txn whole; the packet is made only when one is there.
      let inform: QuorumPacket | null = null;
      for (const l of this.learners.values()) {
        if (this.forwarding(l)) this.send(l, l.observer ? (inform ??= packet(PacketType.INFORM, c.zxid, c.txn)) : commit);
      }
      for (const conn of this.pendingSyncs.get(c.zxid) ?? []) this.sendTo(conn, packet(PacketType.SYNC, 0));
      this.pendingSyncs.delete(c.zxid);
    }
    if (this.snapWaiting.length > 0 && this.proposals.inFlight === 0) {
      for (const l of this.snapWaiting.splice(0)) if (this.learners.get(l.conn) === l) this.syncLearner(l);
      this.out.push({ kind: 'release' });
    }
  }
}
