import { Code, OpCode } from '@paddock/coord-protocol';
import { PacketType } from '../../packages/coord-server/src/quorum/wire/packet-types.js';
import type { QuorumPacket } from '../../packages/coord-server/src/quorum/wire/quorum-packet.js';
import { zkTxnBytes } from '../../packages/coord-server/src/quorum/wire/zk-txn.js';
import { Leader, type LeaderOutput } from '../../packages/coord-server/src/quorum/zab/leader.js';
import { epochOf } from '../../packages/coord-server/src/quorum/zxid.js';
import { type ApplyResult, applyTxn } from '../../packages/coord-server/src/txn/apply.js';
import type { Txn, TxnBody } from '../../packages/coord-server/src/txn/txn.js';
import type { ServerSession, ServingRole } from './client-port.js';
import { Deadline } from './deadline.js';
import type { Scheduled } from './event-queue.js';
import { txnKey } from './hist.js';
import type { Stream } from './network.js';
import { type QMsg, applyTarget, resultOf } from './quorum-msg.js';
import { snapshotBytes } from './sim-disk.js';
import { type SimWrite, closeBody, decodeWrite, prepWrite } from './sim-prep.js';
import { CONFIG_TEXT, type SimServer } from './sim-server.js';

/** initLimit and syncLimit in ticks, as a zoo.cfg would give them. */
export const INIT_LIMIT = 10;
export const SYNC_LIMIT = 5;

type Reply = (result: ApplyResult, zxid: number, key: string) => void;

/**
 * One term as leader, as LeaderRole runs it: the quorum port's listener, the real Leader
 * machine on the server's clock, and once it leads, the pipeline stand-in: prep (the real
 * prep functions), zxid, log, apply, propose; replies (writes and reads alike) held until what
 * was logged before them is committed, as the durability gate holds them. Session expiry as
 * the leader's pipeline runs it, a closeSession for each expired session.
 */
export class LeaderDriver implements ServingRole {
  readonly leader: Leader;
  serving = false;
  private readonly conns = new Map<number, Stream<QMsg>>();
  private readonly timer: Deadline;
  private expiry: Scheduled | null = null;
  private lastZxid = -1;
  private committed = -1;
  private epoch = -1;
  private held = false;
  private readonly waiting: (() => void)[] = [];
  private readonly gate: { zxid: number; send: () => void }[] = [];
  private ended = false;

  constructor(private readonly s: SimServer, epochs: { acceptedEpoch: number; currentEpoch: number }, lastZxid: number) {
    const k = s.world.knobs;
    const recent = s.disk.recent.list().map((txn) => ({ zxid: txn.zxid, txn: zkTxnBytes({ txn, cxid: 0 }) }));
    this.leader = new Leader(
      { myId: s.id, voters: s.world.ids, tickMs: k.tickMs, initLimit: INIT_LIMIT, syncLimit: SYNC_LIMIT, config: CONFIG_TEXT, windowSize: k.window },
      { ...epochs, lastZxid, recent },
    );
    this.timer = new Deadline(s.world, s.clock, () => this.leader.deadline(), () => this.apply(this.leader.tick(this.s.now())));
  }

  start(): void {
    this.s.world.net.listen<QMsg>(this.s.id, 'quorum', (stream) => this.accept(stream));
    this.apply(this.leader.begin(this.s.now()));
  }

  /** The server crashed: nothing of this term runs on. */
  abort(): void {
    this.ended = true;
    this.serving = false;
    this.cancelTimers();
  }

  describe(): string {
    return `leader (${this.leader.state}, epoch ${this.epoch}, proposed 0x${this.lastZxid.toString(16)}, committed 0x${this.committed.toString(16)}, learners ${this.leader.connectedLearners().map((l) => l.sid).join(',')})`;
  }

  private accept(stream: Stream<QMsg>): { onMessage(m: QMsg): void; onClose(): void } | null {
    if (this.ended) return null;
    const conn = stream.id;
    this.conns.set(conn, stream);
    this.apply(this.leader.connected(this.s.now(), conn));
    return {
      onMessage: (m) => {
        if (!this.ended && m.kind === 'packet') this.apply(this.leader.receive(this.s.now(), conn, m.packet));
      },
      onClose: () => {
        this.conns.delete(conn);
        if (!this.ended) this.apply(this.leader.disconnected(conn));
      },
    };
  }

  private apply(outs: readonly LeaderOutput[]): void {
    for (const o of outs) {
      if (this.ended) return;
      this.act(o);
    }
    this.arm();
  }

  private act(o: LeaderOutput): void {
    switch (o.kind) {
      case 'send': return this.send(o.conn, o.packet);
      case 'sendSnapshot': return this.sendSnapshot(o.conn, o.zxid);
      case 'close':
        this.conns.get(o.conn)?.close(this.s.id, o.reason);
        this.conns.delete(o.conn);
        return;
      case 'acceptEpoch': return this.s.saveEpoch('accepted', o.epoch);
      case 'currentEpoch':
        this.s.world.inv.leaderDiscovered(this.s.id, o.epoch);
        return this.s.saveEpoch('current', o.epoch);
      case 'lead': return this.lead(o.zxid);
      case 'commit': return this.commit(o.zxid);
      case 'request': return this.forwarded(o.conn, o.request.sessionId, o.request.cxid, o.request.type, o.request.request);
      case 'revalidate': {
        const valid = this.serving && this.validSession(o.session.sessionId, o.session.timeout);
        return this.apply(this.leader.revalidated(o.conn, o.session.sessionId, valid));
      }
      case 'touch':
        for (const t of o.sessions) this.touch(t.sessionId, t.timeout);
        return;
      case 'hold': this.held = true; return;
      case 'release': return this.release();
      case 'shutdown': return this.finish(o.reason);
    }
  }

  private send(conn: number, packet: QuorumPacket): void {
    if (packet.type === PacketType.DIFF) this.s.world.cov.bump('syncDiff');
    if (packet.type === PacketType.TRUNC) this.s.world.cov.bump('syncTrunc');
    this.conns.get(conn)?.send(this.s.id, { kind: 'packet', packet });
  }

  private sendSnapshot(conn: number, zxid: number): void {
    const stream = this.conns.get(conn);
    if (!stream) return;
    this.s.world.cov.bump('syncSnap');
    stream.send(this.s.id, { kind: 'packet', packet: { type: PacketType.SNAP, zxid, data: null, authinfo: null } });
    stream.send(this.s.id, { kind: 'snapshot', snapshot: snapshotBytes(this.s.tree, this.s.sessions), hist: this.s.hist.copy(zxid) });
  }

  /** A quorum is in sync: serve, zxids from the epoch's first on. */
  private lead(epochZxid: number): void {
    this.serving = true;
    this.epoch = epochOf(epochZxid);
    this.lastZxid = epochZxid;
    this.committed = epochZxid;
    this.s.disk.onDurable = (zxid) => {
      if (!this.ended) this.apply(this.leader.logged(zxid));
    };
    this.s.trace('lead', `epoch ${this.epoch} with history to 0x${this.s.hist.last.toString(16)}`);
    this.s.world.inv.leaderEstablished(this.s, this.epoch);
    this.s.world.cov.bump('leaderServed');
    this.armExpiry();
  }

  private commit(zxid: number): void {
    this.committed = Math.max(this.committed, zxid);
    this.s.world.inv.leaderCommitted(this.s, zxid, this.epoch);
    this.s.world.cov.bump('commits');
    while (this.gate.length > 0 && this.gate[0]!.zxid <= this.committed) this.gate.shift()!.send();
  }

  /** Through prep, log, apply and propose; `reply` once it commits. */
  private propose(sessionId: bigint, cxid: number, w: SimWrite | TxnBody, reply: Reply | null): void {
    if (!this.serving) return;
    if (this.held) {
      this.waiting.push(() => this.propose(sessionId, cxid, w, reply));
      return;
    }
    const body = 'kind' in w ? w : prepWrite(this.s.tree, this.s.sessions, sessionId, w);
    const txn: Txn = { zxid: this.lastZxid + 1, time: this.s.clock.now(), sessionId, body };
    this.lastZxid = txn.zxid;
    const key = txnKey(txn);
    this.s.world.inv.txnSeen(this.s.id, txn, key);
    this.s.world.inv.proposed(sessionId, cxid, txn.zxid);
    this.s.disk.append(txn);
    const t = applyTarget(this.s.tree, this.s.sessions);
    const result = applyTxn(t, txn);
    this.s.world.inv.applied(this.s, txn, t);
    if (!this.s.hist.add(txn.zxid, key)) this.s.world.inv.fail(`leader ${this.s.id} applied 0x${txn.zxid.toString(16)} after 0x${this.s.hist.last.toString(16)}`);
    this.s.trace('propose', () => `0x${txn.zxid.toString(16)} ${body.kind}${'path' in body ? ` ${body.path}` : ''}`);
    this.apply(this.leader.propose(txn.zxid, zkTxnBytes({ txn, cxid })));
    if (reply) this.hold(txn.zxid, () => reply(result, txn.zxid, key));
  }

  /** Sends once every txn logged up to `zxid` has committed (the durability gate). */
  private hold(zxid: number, send: () => void): void {
    if (zxid <= this.committed && this.gate.length === 0) send();
    else this.gate.push({ zxid, send });
  }

  private release(): void {
    this.held = false;
    for (const w of this.waiting.splice(0)) w();
  }

  private forwarded(conn: number, sessionId: bigint, cxid: number, type: number, body: Buffer): void {
    if (type === OpCode.sync) {
      this.s.world.inv.syncForwarded(conn, this.s.tree.lastProcessedZxid);
      return this.apply(this.leader.sync(conn));
    }
    this.propose(sessionId, cxid, decodeWrite(body), null);
  }

  // ServingRole: clients connected to the leader itself.

  createSession(ss: ServerSession, sessionId: bigint, timeout: number): void {
    this.propose(sessionId, 0, { op: 'createSession', timeout }, (r, zxid) => {
      if (r.err === Code.OK) ss.established(sessionId, zxid);
      else ss.expired();
    });
  }

  revalidate(ss: ServerSession, sessionId: bigint, timeout: number): void {
    const valid = this.validSession(sessionId, timeout);
    this.hold(this.lastZxid, () => (valid ? ss.established(sessionId, this.s.tree.lastProcessedZxid) : ss.expired()));
  }

  write(ss: ServerSession, cxid: number, w: SimWrite): void {
    this.propose(ss.sessionId!, cxid, w, (r, zxid, key) => {
      this.s.world.inv.acknowledged(ss.client, zxid, key);
      ss.reply(cxid, r.err, zxid, resultOf(r));
      if (w.op === 'closeSession') ss.close('session closed');
    });
  }

  sync(ss: ServerSession, cxid: number): void {
    const point = this.s.tree.lastProcessedZxid;
    this.hold(this.lastZxid, () => {
      this.s.world.inv.syncAnswered(ss.client, point);
      ss.reply(cxid, Code.OK, this.s.tree.lastProcessedZxid, { path: '/' });
    });
  }

  read(send: () => void): void {
    this.hold(this.lastZxid, send);
  }

  touch(sessionId: bigint, timeout: number): void {
    const session = this.s.sessions.get(sessionId);
    if (session) this.s.sessions.touch(session, timeout);
  }

  private validSession(sessionId: bigint, timeout: number): boolean {
    const session = this.s.sessions.get(sessionId);
    return session !== undefined && !session.closing && this.s.sessions.touch(session, timeout);
  }

  /** Every tick while serving: sessions past their timeout are closed, as the leader's pipeline does. */
  private armExpiry(): void {
    this.expiry = this.s.world.atTime(this.s.clock.toGlobal(this.s.now() + this.s.world.knobs.tickMs), () => {
      if (this.ended) return;
      for (const session of this.s.sessions.takeExpired()) {
        this.s.world.cov.bump('sessionsExpired');
        this.propose(session.id, 0, closeBody(this.s.tree, session.id), null);
      }
      this.armExpiry();
    });
  }

  private arm(): void {
    if (this.ended) this.timer.clear();
    else this.timer.arm();
  }

  private cancelTimers(): void {
    this.timer.clear();
    if (this.expiry) this.expiry.cancelled = true;
  }

  private finish(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.serving = false;
    this.cancelTimers();
    this.s.world.net.listen(this.s.id, 'quorum', null);
    for (const c of this.conns.values()) c.close(this.s.id, 'leader stepping down');
    this.conns.clear();
    this.s.termEnded(reason, { tree: this.s.tree, sessions: this.s.sessions });
  }
}
