import { PacketType, packetTypeName } from '../wire/packet-types.js';
import type { QuorumInput, QuorumPacket } from '../wire/quorum-packet.js';
import { FROM_LEADER, FROM_LEARNER, type ForwardedRequest, type SessionTouch, ZAB_PROTOCOL_VERSION } from '../wire/zab-payloads.js';
import { epochOf, makeZxid } from '../zxid.js';

/** What a learner knows of itself when it starts following: its epochs and last logged zxid. */
export interface LearnerStart {
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  readonly lastZxid: number;
}

export interface LearnerOptions {
  readonly myId: number;
  readonly observer: boolean;
  /** initLimit × tickTime: the bound on each read while registering and syncing. */
  readonly initLimitMs: number;
  /** syncLimit × tickTime: the bound on each read once synced. */
  readonly syncLimitMs: number;
}

/**
 * What the learner asks of the server around it, in order. Effects that persist (`acceptEpoch`,
 * `currentEpoch`, `truncate`, `loadSnapshot`) are done before the next output is acted on;
 * `log` and `snapshot` answer later with `logged` and `snapshotted`.
 */
export type LearnerOutput =
  | { readonly kind: 'send'; readonly packet: QuorumPacket }
  | { readonly kind: 'acceptEpoch'; readonly epoch: number }
  | { readonly kind: 'currentEpoch'; readonly epoch: number }
  | { readonly kind: 'truncate'; readonly zxid: number }
  | { readonly kind: 'loadSnapshot'; readonly snapshot: Buffer; readonly zxid: number }
  /** Append the txn to the local log (ZooKeeper's txn serialization); `logged` follows its fsync. */
  | { readonly kind: 'log'; readonly zxid: number; readonly txn: Buffer }
  /** Apply the txn to the tree: it is committed. */
  | { readonly kind: 'apply'; readonly zxid: number; readonly txn: Buffer }
  /**
   * Take a durable snapshot of the tree as it is now, then write `currentEpoch` as one step (the
   * snapshot may hold the new epoch's txns: it must not stay on disk without the epoch, as
   * ZooKeeper's syncWithLeader does them back to back); `snapshotted` follows.
   */
  | { readonly kind: 'snapshot'; readonly currentEpoch: number }
  /** In sync with the leader: serve clients. */
  | { readonly kind: 'serve' }
  /** Answer the leader's PING with this zxid and the sessions our clients touched. */
  | { readonly kind: 'answerPing'; readonly zxid: number }
  | { readonly kind: 'revalidated'; readonly sessionId: bigint; readonly valid: boolean }
  /** A sync this learner forwarded has passed the leader: the oldest waiting one may answer. */
  | { readonly kind: 'synced' }
  /** Stop following (back to election), saying why. */
  | { readonly kind: 'shutdown'; readonly reason: string };

type Phase = 'registering' | 'awaiting-sync' | 'awaiting-snapshot' | 'syncing' | 'flushing' | 'awaiting-uptodate' | 'broadcast' | 'stopped';

interface InFlight {
  readonly zxid: number;
  readonly txn: Buffer;
}

const packet = (type: number, zxid: number, data: Buffer | null = null): QuorumPacket => ({ type, zxid, data, authinfo: null });

/**
 * A follower's or observer's side of ZAB, as ZooKeeper 3.8's Learner, Follower and Observer
 * run it, as a pure state machine: packets, time, and completions of disk work in; packets
 * and effects out.
 *
 * Register (FOLLOWERINFO/OBSERVERINFO → LEADERINFO → ACKEPOCH), sync (DIFF, SNAP or TRUNC, then
 * the proposals and commits the leader queued, until NEWLEADER), acknowledge NEWLEADER once what
 * it holds is durable, wait for UPTODATE, then follow: log each proposal and ACK it after its
 * fsync, apply commits in zxid order (observers: log and apply each INFORM), answer PINGs.
 * Silence longer than initLimit (syncing) or syncLimit (following) ends it.
 */
export class Learner {
  private phase: Phase = 'registering';
  private newEpoch = -1;
  private newLeaderZxid = -1;
  private lastHeard = 0;
  private start: LearnerStart = { acceptedEpoch: 0, currentEpoch: 0, lastZxid: 0 };
  /**
   * Until NEWLEADER nothing is logged: the new epoch must be in the currentEpoch file before
   * any txn of it is in the log, or the data dir would not load after a crash (as ZooKeeper's
   * syncWithLeader, which logs what it held only after setCurrentEpoch). SNAP and TRUNC sync
   * apply commits straight to the tree (NEWLEADER's snapshot covers them).
   */
  private writeToLog = true;
  private epochWritten = false;
  private snapshotNeeded = false;
  private snapZxid = -1;
  /** Proposals received, not yet committed, in zxid order. */
  private readonly uncommitted: InFlight[] = [];
  /** What arrived before NEWLEADER and goes to the log once the new epoch is on disk. */
  private readonly toLog: InFlight[] = [];
  /** Proposals handed to `log`, not yet durable; their ACKs go out in this order. */
  private readonly unlogged: number[] = [];
  private durableZxid = 0;
  private out: LearnerOutput[] = [];

  constructor(private readonly opts: LearnerOptions) {}

  /** The state the learner is in (tests, `zabstate`). */
  get state(): Phase {
    return this.phase;
  }

  /** Registers with a newly connected leader. */
  connect(now: number, start: LearnerStart): LearnerOutput[] {
    this.start = start;
    this.lastHeard = now;
    this.durableZxid = start.lastZxid;
    const type = this.opts.observer ? PacketType.OBSERVERINFO : PacketType.FOLLOWERINFO;
    const info = FROM_LEARNER.FOLLOWERINFO.encode({ serverId: this.opts.myId, protocolVersion: ZAB_PROTOCOL_VERSION, configVersion: 0 });
    this.send(packet(type, makeZxid(start.acceptedEpoch, 0), info));
    return this.flush();
  }

  receive(now: number, input: QuorumInput): LearnerOutput[] {
    if (this.phase === 'stopped') return [];
    this.lastHeard = now;
    if (input.kind === 'snapshot') this.onSnapshot(input.snapshot);
    else this.onPacket(input.packet);
    return this.flush();
  }

  /** The local log is durable up to `zxid`. */
  logged(zxid: number): LearnerOutput[] {
    if (this.phase === 'stopped') return [];
    this.durableZxid = Math.max(this.durableZxid, zxid);
    if (this.phase === 'flushing') this.finishNewLeader();
    else if (this.phase === 'awaiting-uptodate' || this.phase === 'broadcast') this.ackDurable();
    return this.flush();
  }

  /** The snapshot asked for at NEWLEADER is on disk. */
  snapshotted(): LearnerOutput[] {
    if (this.phase === 'flushing') {
      this.snapshotNeeded = false;
      this.finishNewLeader();
    }
    return this.flush();
  }

  /** Ends the learner when the leader has been silent too long. */
  tick(now: number): LearnerOutput[] {
    if (this.phase === 'stopped') return [];
    const limit = this.phase === 'broadcast' || this.phase === 'awaiting-uptodate' ? this.opts.syncLimitMs : this.opts.initLimitMs;
    if (now - this.lastHeard > limit) this.stop(`no packet from the leader for ${now - this.lastHeard} ms (limit ${limit} ms)`);
    return this.flush();
  }

  /** When `tick` should next be called. */
  deadline(): number {
    if (this.phase === 'stopped') return Number.POSITIVE_INFINITY;
    const limit = this.phase === 'broadcast' || this.phase === 'awaiting-uptodate' ? this.opts.syncLimitMs : this.opts.initLimitMs;
    return this.lastHeard + limit + 1;
  }

  /** A client write or sync to forward to the leader. */
  forward(request: ForwardedRequest, authinfo: QuorumPacket['authinfo']): LearnerOutput[] {
    this.send({ type: PacketType.REQUEST, zxid: -1, data: FROM_LEARNER.REQUEST.encode(request), authinfo });
    return this.flush();
  }

  /** Asks the leader whether a session a client brings here is alive (and makes us its owner). */
  revalidate(touch: SessionTouch): LearnerOutput[] {
    this.send(packet(PacketType.REVALIDATE, -1, FROM_LEARNER.REVALIDATE.encode(touch)));
    return this.flush();
  }

  private flush(): LearnerOutput[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private send(p: QuorumPacket): void {
    this.out.push({ kind: 'send', packet: p });
  }

  private stop(reason: string): void {
    this.phase = 'stopped';
    this.out.push({ kind: 'shutdown', reason });
  }

  private unexpected(p: QuorumPacket): void {
    this.stop(`unexpected ${packetTypeName(p.type)} from the leader while ${this.phase}`);
  }

  private onPacket(p: QuorumPacket): void {
    switch (this.phase) {
      case 'registering': return this.onLeaderInfo(p);
      case 'awaiting-sync': return this.onSyncStart(p);
      case 'awaiting-snapshot': return this.unexpected(p);
      case 'syncing': case 'flushing': case 'awaiting-uptodate': return this.onSyncPacket(p);
      case 'broadcast': return this.onBroadcast(p);
      case 'stopped': return;
    }
  }

  private onLeaderInfo(p: QuorumPacket): void {
    if (p.type !== PacketType.LEADERINFO) return this.unexpected(p);
    const version = FROM_LEADER.LEADERINFO.decode(p.data);
    if (version < ZAB_PROTOCOL_VERSION) return this.stop(`leader speaks ZAB protocol 0x${version.toString(16)}, before 1.0`);
    this.newEpoch = epochOf(p.zxid);
    this.newLeaderZxid = p.zxid;
    const { acceptedEpoch, currentEpoch, lastZxid } = this.start;
    let epochReport: number;
    if (this.newEpoch > acceptedEpoch) {
      epochReport = currentEpoch;
      this.out.push({ kind: 'acceptEpoch', epoch: this.newEpoch });
    } else if (this.newEpoch === acceptedEpoch) {
      // Already accepted (we acknowledged this epoch before a restart): say so with -1.
      epochReport = -1;
    } else {
      return this.stop(`leader's epoch ${this.newEpoch} is less than our accepted epoch ${acceptedEpoch}`);
    }
    this.send(packet(PacketType.ACKEPOCH, lastZxid, FROM_LEARNER.ACKEPOCH.encode(epochReport)));
    this.phase = 'awaiting-sync';
  }

  private onSyncStart(p: QuorumPacket): void {
    if (p.type === PacketType.DIFF) {
      this.writeToLog = false;
      this.snapshotNeeded = false;
      this.phase = 'syncing';
    } else if (p.type === PacketType.SNAP) {
      this.snapZxid = p.zxid;
      this.phase = 'awaiting-snapshot';
    } else if (p.type === PacketType.TRUNC) {
      this.out.push({ kind: 'truncate', zxid: p.zxid });
      this.durableZxid = p.zxid;
      this.writeToLog = false;
      this.snapshotNeeded = true;
      this.phase = 'syncing';
    } else {
      this.unexpected(p);
    }
  }

  private onSnapshot(snapshot: Buffer): void {
    if (this.phase !== 'awaiting-snapshot') return this.stop(`a snapshot arrived while ${this.phase}`);
    this.out.push({ kind: 'loadSnapshot', snapshot, zxid: this.snapZxid });
    this.writeToLog = false;
    this.snapshotNeeded = true;
    this.phase = 'syncing';
  }

  /** Between the sync's first packet and UPTODATE. */
  private onSyncPacket(p: QuorumPacket): void {
    switch (p.type) {
      case PacketType.PROPOSAL: return this.propose(p.zxid, FROM_LEADER.PROPOSAL.decode(p.data));
      case PacketType.COMMIT: return this.commit(p.zxid);
      case PacketType.INFORM: return this.inform(p.zxid, FROM_LEADER.INFORM.decode(p.data));
      case PacketType.NEWLEADER:
        if (this.phase !== 'syncing') return this.unexpected(p);
        return this.onNewLeader();
      case PacketType.UPTODATE:
        if (this.phase !== 'awaiting-uptodate') return this.unexpected(p);
        return this.onUpToDate();
      case PacketType.PING: return; // ZooKeeper's learner does not answer PINGs until UPTODATE
      default: return this.unexpected(p);
    }
  }

  private onNewLeader(): void {
    // Before NEWLEADER is acknowledged, everything it covers must be durable here: a snapshot
    // after SNAP or TRUNC sync, else the proposals queued so far.
    this.phase = 'flushing';
    if (!this.snapshotNeeded) return this.finishNewLeader();
    this.epochWritten = true;
    this.out.push({ kind: 'snapshot', currentEpoch: this.newEpoch });
  }

  private finishNewLeader(): void {
    if (this.snapshotNeeded) return;
    if (!this.epochWritten) {
      this.epochWritten = true;
      this.out.push({ kind: 'currentEpoch', epoch: this.newEpoch });
    }
    if (!this.writeToLog) {
      this.writeToLog = true;
      for (const f of this.toLog) this.log(f);
      this.toLog.length = 0;
    }
    if (this.unlogged.some((z) => z > this.durableZxid)) return;
    this.send(packet(PacketType.ACK, this.newLeaderZxid));
    this.phase = 'awaiting-uptodate';
    this.ackDurable();
  }

  private onUpToDate(): void {
    this.send(packet(PacketType.ACK, makeZxid(this.newEpoch, 0)));
    this.phase = 'broadcast';
    this.out.push({ kind: 'serve' });
  }

  private onBroadcast(p: QuorumPacket): void {
    switch (p.type) {
      case PacketType.PROPOSAL: return this.propose(p.zxid, FROM_LEADER.PROPOSAL.decode(p.data));
      case PacketType.COMMIT: return this.commit(p.zxid);
      case PacketType.INFORM: return this.inform(p.zxid, FROM_LEADER.INFORM.decode(p.data));
      case PacketType.PING: this.out.push({ kind: 'answerPing', zxid: p.zxid }); return;
      case PacketType.REVALIDATE: {
        const a = FROM_LEADER.REVALIDATE.decode(p.data);
        this.out.push({ kind: 'revalidated', sessionId: a.sessionId, valid: a.valid });
        return;
      }
      case PacketType.SYNC: this.out.push({ kind: 'synced' }); return;
      case PacketType.UPTODATE: return; // ZooKeeper logs it and goes on
      default: return this.unexpected(p);
    }
  }

  private propose(zxid: number, txn: Buffer): void {
    const last = this.uncommitted.at(-1);
    if (last && zxid <= last.zxid) return this.stop(`proposal 0x${zxid.toString(16)} after 0x${last.zxid.toString(16)}`);
    const f = { zxid, txn };
    this.uncommitted.push(f);
    if (this.writeToLog) this.log(f);
    else this.toLog.push(f);
  }

  private log(f: InFlight): void {
    this.out.push({ kind: 'log', zxid: f.zxid, txn: f.txn });
    if (!this.opts.observer) this.unlogged.push(f.zxid);
  }

  private commit(zxid: number): void {
    const head = this.uncommitted[0];
    if (!head) return; // ZooKeeper warns of a commit without its txn (already applied by a snapshot)
    if (head.zxid !== zxid) return this.stop(`commit of 0x${zxid.toString(16)} while the next proposal is 0x${head.zxid.toString(16)}`);
    this.uncommitted.shift();
    // Applied during a SNAP or TRUNC sync, it is in NEWLEADER's snapshot: not logged again.
    if (this.snapshotNeeded) this.dropToLog(zxid);
    this.out.push({ kind: 'apply', zxid, txn: head.txn });
  }

  private dropToLog(zxid: number): void {
    const i = this.toLog.findIndex((f) => f.zxid === zxid);
    if (i >= 0) this.toLog.splice(i, 1);
  }

  /** Observers get committed txns whole: log (once the epoch is on disk) and apply at once. */
  private inform(zxid: number, txn: Buffer): void {
    if (this.writeToLog) this.out.push({ kind: 'log', zxid, txn });
    else if (!this.snapshotNeeded) this.toLog.push({ zxid, txn });
    this.out.push({ kind: 'apply', zxid, txn });
  }

  /** ACK, in order, every proposal now durable (followers only; observers never ACK). */
  private ackDurable(): void {
    while (this.unlogged.length > 0 && this.unlogged[0]! <= this.durableZxid) {
      this.send(packet(PacketType.ACK, this.unlogged.shift()!));
    }
  }
}
