import { Code, OpCode } from '@paddock/coord-protocol';
import { PacketType } from '../../packages/coord-server/src/quorum/wire/packet-types.js';
import { FROM_LEARNER } from '../../packages/coord-server/src/quorum/wire/zab-payloads.js';
import { Learner, type LearnerOutput } from '../../packages/coord-server/src/quorum/zab/learner.js';
import { applyTxn } from '../../packages/coord-server/src/txn/apply.js';
import type { ServerSession, ServingRole } from './client-port.js';
import { Deadline } from './deadline.js';
import { Hist, decodeTxn, txnKey } from './hist.js';
import { INIT_LIMIT, SYNC_LIMIT } from './leader-driver.js';
import type { Stream } from './network.js';
import { type QMsg, applyTarget, resultOf } from './quorum-msg.js';
import { readSnapshot } from './sim-disk.js';
import { type SimWrite, encodeWrite, opCodeOf } from './sim-prep.js';
import type { SimServer } from './sim-server.js';

/** LearnerRole's waits between dials of a new leader's quorum port, ms. */
const CONNECT_WAITS_MS = [5, 10, 20, 40, 80, 100, 100, 100, 100];

/**
 * One term as follower, as LearnerRole runs it: dial the leader (retrying as it does), the
 * real Learner machine on the server's clock, its outputs carried out in order with disk work
 * (TRUNC, the snapshot after SNAP) finishing before the next input is taken, commits applied
 * to the tree (answering the client whose request it was), reads served from the tree, writes
 * and syncs forwarded to the leader, sessions revalidated through it, touches sent with PINGs.
 */
export class LearnerDriver implements ServingRole {
  readonly learner: Learner;
  serving = false;
  private stream: Stream<QMsg> | null = null;
  private readonly inbox: (() => LearnerOutput[])[] = [];
  private todo: LearnerOutput[] = [];
  private busy = false;
  private ended: string | null = null;
  private aborted = false;
  private readonly timer: Deadline;
  private readonly pending = new Map<string, { ss: ServerSession; w: SimWrite }>();
  private readonly syncs: { ss: ServerSession; cxid: number }[] = [];
  private readonly revalidations: { ss: ServerSession; sessionId: bigint }[] = [];
  private readonly touches = new Map<bigint, number>();
  private snapHist: Hist | null = null;

  constructor(private readonly s: SimServer, private readonly epochs: { acceptedEpoch: number; currentEpoch: number }, private readonly leaderId: number) {
    const tick = s.world.knobs.tickMs;
    this.learner = new Learner({ myId: s.id, observer: false, initLimitMs: INIT_LIMIT * tick, syncLimitMs: SYNC_LIMIT * tick });
    // As LearnerRole's timer: the tick's outputs are carried out at once, not queued behind inputs.
    this.timer = new Deadline(s.world, s.clock, () => this.learner.deadline(), () => (this.ended ? undefined : this.runDirect(this.learner.tick(this.s.now()))));
  }

  start(): void {
    this.dial(0);
  }

  abort(): void {
    this.aborted = true;
    this.ended = 'crashed';
    this.serving = false;
    this.timer.clear();
  }

  describe(): string {
    return `follower of ${this.leaderId} (${this.learner.state}${this.busy ? ', disk busy' : ''}${this.ended ? `, ended: ${this.ended}` : ''})`;
  }

  private dial(attempt: number): void {
    const timeout = INIT_LIMIT * this.s.world.knobs.tickMs;
    this.s.world.net.dial<QMsg>(this.s.id, this.leaderId, 'quorum', timeout, (res) => {
      if (this.ended) {
        if (typeof res !== 'string') res.close(this.s.id, 'learner stopping');
        return;
      }
      if (typeof res === 'string') {
        if (attempt >= CONNECT_WAITS_MS.length) return this.finish(`cannot reach leader ${this.leaderId}: ${res}`);
        this.s.world.after(CONNECT_WAITS_MS[attempt]!, () => (this.ended ? undefined : this.dial(attempt + 1)));
        return;
      }
      this.stream = res;
      res.attach(this.s.id, { onMessage: (m) => this.enqueue(m), onClose: (r) => this.finish(`leader connection: ${r}`) });
      // The local log's fsyncs are the learner's ACKs (and what lets it acknowledge NEWLEADER).
      this.s.disk.onDurable = (zxid) => this.input(() => this.learner.logged(zxid));
      this.input(() => this.learner.connect(this.s.now(), { ...this.epochs, lastZxid: this.s.lastLoggedZxid }));
    });
  }

  private enqueue(m: QMsg): void {
    this.input(() => {
      if (m.kind === 'packet') return this.learner.receive(this.s.now(), { kind: 'packet', packet: m.packet });
      this.snapHist = m.hist;
      return this.learner.receive(this.s.now(), { kind: 'snapshot', snapshot: m.snapshot });
    });
  }

  /** An input for the machine, taken once the work of the ones before it is done. */
  private input(next: () => LearnerOutput[]): void {
    if (this.ended) return;
    this.inbox.push(next);
    this.pump();
  }

  private pump(): void {
    while (!this.busy && !this.ended && this.todo.length === 0 && this.inbox.length > 0) {
      this.todo = this.inbox.shift()!();
      this.process();
    }
  }

  /** Carries out the outputs in order; disk work suspends the rest until it completes. */
  private process(): void {
    while (!this.busy && this.todo.length > 0) {
      if (this.ended) {
        this.todo = [];
        break;
      }
      this.act(this.todo.shift()!);
    }
    if (!this.busy) this.arm();
  }

  /** Disk work finished: `then` runs (its outputs first in line), then the rest. */
  private resume(then: () => void): void {
    this.busy = false;
    if (this.aborted) return;
    then();
    if (this.ended) return this.report();
    this.process();
    this.pump();
  }

  /** Outputs that need no disk, carried out at once (forwarding, revalidation, ticks), as LearnerRole's `run` does them. */
  private runDirect(outs: readonly LearnerOutput[]): void {
    for (const o of outs) if (!this.ended) this.act(o);
    if (!this.busy) this.arm();
  }

  private act(o: LearnerOutput): void {
    const { s } = this;
    switch (o.kind) {
      case 'send': this.stream?.send(s.id, { kind: 'packet', packet: o.packet }); return;
      case 'acceptEpoch': return s.saveEpoch('accepted', o.epoch);
      case 'currentEpoch': return s.saveEpoch('current', o.epoch);
      case 'truncate': return this.truncate(o.zxid);
      case 'loadSnapshot': {
        const snap = readSnapshot(o.snapshot, o.zxid, s.clock, s.world.knobs.tickMs, s.id);
        s.trace('loadSnapshot', `0x${o.zxid.toString(16)}`);
        s.replaceState(snap.tree, snap.sessions, this.snapHist ?? new Hist());
        return;
      }
      case 'log': {
        const { txn } = decodeTxn(o.txn);
        s.world.inv.txnSeen(s.id, txn, txnKey(txn));
        s.disk.append(txn);
        return;
      }
      case 'apply': return this.applyCommitted(o.txn);
      case 'snapshot':
        this.busy = true;
        // As LearnerRole: the snapshot and its epoch are one step, whether or not the term goes on.
        s.disk.replaceAll({ tree: s.tree, sessions: s.sessions, hist: s.hist }, () => {
          s.saveEpoch('current', o.currentEpoch);
          this.resume(() => {
            this.todo.unshift(...this.learner.snapshotted());
          });
        });
        return;
      case 'serve': return this.serve();
      case 'answerPing': return this.answerPing(o.zxid);
      case 'revalidated': return this.revalidated(o.sessionId, o.valid);
      case 'synced': return this.synced();
      case 'shutdown': return this.finish(o.reason);
    }
  }

  private truncate(zxid: number): void {
    const { s } = this;
    this.busy = true;
    s.trace('truncate', `0x${zxid.toString(16)}`);
    s.disk.truncateAfter(zxid, (ok) => this.resume(() => {
      if (!ok) return this.finish(`truncate failed: history cannot end at 0x${zxid.toString(16)}`);
      const fresh = s.disk.load(s.clock, false);
      s.replaceState(fresh.tree, fresh.sessions, fresh.hist);
    }));
  }

  private applyCommitted(bytes: Buffer): void {
    const { s } = this;
    const { txn, cxid } = decodeTxn(bytes);
    const key = txnKey(txn);
    s.world.inv.txnSeen(s.id, txn, key);
    const t = applyTarget(s.tree, s.sessions);
    const r = applyTxn(t, txn);
    s.world.inv.applied(s, txn, t);
    if (!s.hist.add(txn.zxid, key)) s.world.inv.fail(`server ${s.id} applied 0x${txn.zxid.toString(16)} after 0x${s.hist.last.toString(16)}`);
    if (!this.serving) return;
    s.world.inv.learnerCommitted(s, txn.zxid);
    const k = `${txn.sessionId}:${cxid}`;
    const p = this.pending.get(k);
    if (!p) return;
    this.pending.delete(k);
    if (p.w.op === 'createSession') {
      if (r.err === Code.OK) p.ss.established(txn.sessionId, txn.zxid);
      else p.ss.expired();
      return;
    }
    s.world.inv.acknowledged(p.ss.client, txn.zxid, key);
    p.ss.reply(cxid, r.err, txn.zxid, resultOf(r));
    if (p.w.op === 'closeSession') p.ss.close('session closed');
  }

  private serve(): void {
    this.serving = true;
    this.s.disk.attach(this.s.tree);
    this.s.trace('serve', `at 0x${this.s.tree.lastProcessedZxid.toString(16)}`);
    this.s.world.inv.learnerServes(this.s);
    this.s.world.cov.bump('learnerServed');
  }

  private answerPing(zxid: number): void {
    const touches = [...this.touches].map(([sessionId, timeout]) => ({ sessionId, timeout }));
    this.touches.clear();
    this.stream?.send(this.s.id, { kind: 'packet', packet: { type: PacketType.PING, zxid, data: FROM_LEARNER.PING.encode(touches), authinfo: null } });
  }

  private revalidated(sessionId: bigint, valid: boolean): void {
    const i = this.revalidations.findIndex((r) => r.sessionId === sessionId);
    if (i < 0) return;
    const { ss } = this.revalidations.splice(i, 1)[0]!;
    if (valid) ss.established(sessionId, this.s.tree.lastProcessedZxid);
    else ss.expired();
  }

  private synced(): void {
    const q = this.syncs.shift();
    this.s.world.inv.syncedOnLearner(this.s, this.stream!.id, q?.ss.client ?? null);
    q?.ss.reply(q.cxid, Code.OK, this.s.tree.lastProcessedZxid, { path: '/' });
  }

  // ServingRole: the clients connected here.

  createSession(ss: ServerSession, sessionId: bigint, timeout: number): void {
    this.forward(ss, sessionId, 0, { op: 'createSession', timeout });
  }

  revalidate(ss: ServerSession, sessionId: bigint, timeout: number): void {
    this.revalidations.push({ ss, sessionId });
    this.runDirect(this.learner.revalidate({ sessionId, timeout }));
  }

  write(ss: ServerSession, cxid: number, w: SimWrite): void {
    this.forward(ss, ss.sessionId!, cxid, w);
  }

  sync(ss: ServerSession, cxid: number): void {
    this.syncs.push({ ss, cxid });
    this.runDirect(this.learner.forward({ sessionId: ss.sessionId!, cxid, type: OpCode.sync, request: Buffer.alloc(0) }, []));
  }

  read(send: () => void): void {
    send();
  }

  touch(sessionId: bigint, timeout: number): void {
    this.touches.set(sessionId, timeout);
  }

  private forward(ss: ServerSession, sessionId: bigint, cxid: number, w: SimWrite): void {
    this.pending.set(`${sessionId}:${cxid}`, { ss, w });
    this.runDirect(this.learner.forward({ sessionId, cxid, type: opCodeOf(w), request: encodeWrite(w) }, []));
  }

  private arm(): void {
    if (this.ended) this.timer.clear();
    else this.timer.arm();
  }

  private finish(reason: string): void {
    if (this.ended) return;
    this.ended = reason;
    this.serving = false;
    this.timer.clear();
    if (this.stream) {
      this.s.world.inv.syncConnClosed(this.stream.id);
      this.stream.close(this.s.id, 'learner stopping');
    }
    if (!this.busy) this.report();
  }

  /** The term is over and its disk work done: the server carries its state on. */
  private report(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.s.termEnded(this.ended ?? 'ended', { tree: this.s.tree, sessions: this.s.sessions });
  }
}
