import { isSessionOwner } from '../../packages/coord-server/src/tree/ephemeral-type.js';
import type { ApplyTarget } from '../../packages/coord-server/src/txn/apply.js';
import type { Txn } from '../../packages/coord-server/src/txn/txn.js';
import { Hist } from './hist.js';
import type { SimServer } from './sim-server.js';

/** An invariant broke: the schedule stops and prints its seed, knobs and trace. */
export class SimViolation extends Error {
  override readonly name = 'SimViolation';
}

const hex = (z: number): string => `0x${z.toString(16)}`;
const SEQUENTIAL = /^(.*)\/s-(\d{10})$/;

interface Established {
  readonly epoch: number;
  readonly sid: number;
  /** The history it established its epoch with (what NEWLEADER committed). */
  readonly hist: Hist;
}

/**
 * The safety properties, checked as each step changes what they speak of (so after every
 * step), with the bookkeeping they need: which server led which epoch, one content per zxid,
 * the committed sequence every server's committed view must be a prefix of, the epoch each
 * committed txn was committed in, acknowledged writes, sync points per client.
 */
export class Invariants {
  private readonly epochLeader = new Map<number, number>();
  private readonly seen = new Map<number, { key: string; txn: Txn }>();
  /** The committed sequence: every server's committed view is a prefix of it. */
  private readonly committed = new Hist();
  private readonly commitEpoch = new Map<number, number>();
  /** The furthest any server's committed view has reached. */
  private committedMark = -1;
  /** Per server: how far its tree is known committed (-1: not known since it started). */
  private readonly marks = new Map<number, number>();
  private readonly established: Established[] = [];
  private readonly acked: { zxid: number; key: string; epoch: number; client: number }[] = [];
  private readonly requests = new Map<string, number>();
  private readonly lastSequence = new Map<string, number>();
  private readonly syncFloor = new Map<number, number>();
  private readonly syncPoints = new Map<number, number[]>();
  private readonly epochs = new Map<number, { accepted: number; current: number }>();

  fail(message: string): never {
    throw new SimViolation(message);
  }

  /** At most one leader per epoch: a leader that finished discovery for `epoch`. */
  leaderDiscovered(sid: number, epoch: number): void {
    const other = this.epochLeader.get(epoch);
    if (other !== undefined && other !== sid) this.fail(`two leaders of epoch ${epoch}: servers ${other} and ${sid} both had a quorum acknowledge it`);
    this.epochLeader.set(epoch, sid);
  }

  /** Epoch files only move forward, and currentEpoch never passes acceptedEpoch. */
  epochSaved(sid: number, which: 'accepted' | 'current', epoch: number, before: { accepted: number; current: number }): void {
    const e = this.epochs.get(sid) ?? { ...before };
    if (which === 'accepted') {
      if (epoch < e.accepted) this.fail(`server ${sid} moved acceptedEpoch back from ${e.accepted} to ${epoch}`);
      e.accepted = epoch;
    } else {
      if (epoch < e.current) this.fail(`server ${sid} moved currentEpoch back from ${e.current} to ${epoch}`);
      if (epoch > e.accepted) this.fail(`server ${sid} set currentEpoch ${epoch} past its acceptedEpoch ${e.accepted}`);
      e.current = epoch;
    }
    this.epochs.set(sid, e);
  }

  /** One content per zxid, anywhere: a txn logged, applied or proposed (`key` is its identity). */
  txnSeen(sid: number, txn: Txn, key: string): void {
    const first = this.seen.get(txn.zxid);
    if (first === undefined) this.seen.set(txn.zxid, { key, txn });
    else if (first.key !== key) this.fail(`server ${sid} has a different txn at ${hex(txn.zxid)} than another server had: ${describe(txn)} vs ${describe(first.txn)}`);
  }

  /** A client request (session, cxid) commits at most once. */
  proposed(sessionId: bigint, cxid: number, zxid: number): void {
    if (cxid <= 0) return;
    const k = `${sessionId}:${cxid}`;
    const at = this.requests.get(k);
    if (at !== undefined && at !== zxid && this.committed.get(at) !== undefined) {
      this.fail(`request ${k} was proposed again as ${hex(zxid)} after committing as ${hex(at)}`);
    }
    this.requests.set(k, zxid);
  }

  /** A leader served (a quorum acknowledged NEWLEADER): its history is committed in `epoch`. */
  leaderEstablished(s: SimServer, epoch: number): void {
    const hist = s.hist.copy();
    for (const a of this.acked) {
      if (a.epoch < epoch && hist.get(a.zxid) !== a.key) {
        this.fail(`acknowledged write ${hex(a.zxid)} (client ${a.client}, committed in epoch ${a.epoch}) is not in the history server ${s.id} leads epoch ${epoch} with`);
      }
    }
    for (const z of this.committed.range(-1, Number.MAX_SAFE_INTEGER)) {
      const e = this.commitEpoch.get(z)!;
      if (e < epoch && hist.get(z) !== this.committed.get(z)) {
        this.fail(`txn ${hex(z)}, committed in epoch ${e}, is not in the history server ${s.id} leads epoch ${epoch} with`);
      }
    }
    this.established.push({ epoch, sid: s.id, hist });
    this.extend(s, hist.last, epoch);
  }

  /** The leader's commit of `zxid` (a quorum ACKed it). */
  leaderCommitted(s: SimServer, zxid: number, epoch: number): void {
    this.extend(s, zxid, epoch);
  }

  /** A learner serves (UPTODATE): its whole tree must be committed history. */
  learnerServes(s: SimServer): void {
    this.extend(s, s.hist.last, null);
  }

  /** A serving learner applied a COMMIT. */
  learnerCommitted(s: SimServer, zxid: number): void {
    this.extend(s, zxid, null);
  }

  /** The server's tree was replaced (SNAP, TRUNC, reload): what it knew committed must still be there. */
  histReplaced(s: SimServer): void {
    const mark = this.marks.get(s.id) ?? -1;
    if (mark < 0) return;
    for (const z of this.committed.range(-1, mark)) {
      if (s.hist.get(z) !== this.committed.get(z)) this.fail(`server ${s.id} lost committed txn ${hex(z)} when its tree was replaced (it knew history to ${hex(mark)} committed)`);
    }
  }

  /** The server crashed: what it knew committed goes with its memory. */
  crashed(sid: number): void {
    this.marks.delete(sid);
  }

  /** A learner's connection to its leader ended: the syncs passed on it will not be answered. */
  syncConnClosed(conn: number): void {
    this.syncPoints.delete(conn);
  }

  /** A client got OK for the write at `zxid` whose txn is `key`. */
  acknowledged(client: number, zxid: number, key: string | undefined): void {
    if (key === undefined || this.committed.get(zxid) !== key) this.fail(`client ${client} was told ${hex(zxid)} succeeded, but that txn is not committed`);
    const epoch = this.commitEpoch.get(zxid)!;
    for (const l of this.established) {
      if (l.epoch > epoch && l.hist.get(zxid) !== key) this.fail(`acknowledged write ${hex(zxid)} (client ${client}, epoch ${epoch}) is not in the history server ${l.sid} leads epoch ${l.epoch} with`);
    }
    this.acked.push({ zxid, key, epoch, client });
  }

  /** Ephemerals live no longer than their session (on every server's tree). */
  applied(s: SimServer, txn: Txn, t: ApplyTarget): void {
    const b = txn.body;
    if (b.kind === 'create' && isSessionOwner(b.owner) && !t.sessions.get(b.owner)) {
      this.fail(`server ${s.id} applied ephemeral ${b.path} of session 0x${b.owner.toString(16)}, which its tree does not hold open`);
    }
    if (b.kind === 'closeSession' && t.tree.ephemeralsOf(txn.sessionId).length > 0) {
      this.fail(`server ${s.id} still has ephemerals ${t.tree.ephemeralsOf(txn.sessionId).join(', ')} after closing session 0x${txn.sessionId.toString(16)}`);
    }
  }

  /** The leader passed a forwarded sync on stream `conn` when it had proposed up to `point`. */
  syncForwarded(conn: number, point: number): void {
    const q = this.syncPoints.get(conn) ?? [];
    q.push(point);
    this.syncPoints.set(conn, q);
  }

  /** The learner on stream `conn` answers its oldest sync with its tree at `applied`. */
  syncedOnLearner(s: SimServer, conn: number, client: number | null): void {
    const point = this.syncPoints.get(conn)?.shift();
    if (point === undefined) this.fail(`server ${s.id} got a SYNC the leader never passed`);
    const applied = s.tree.lastProcessedZxid;
    if (applied < point) this.fail(`server ${s.id} answered a sync at ${hex(applied)}, before ${hex(point)} which the leader had proposed when it passed the sync`);
    if (client !== null) this.syncAnswered(client, point);
  }

  syncAnswered(client: number, point: number): void {
    this.syncFloor.set(client, Math.max(point, this.syncFloor.get(client) ?? 0));
  }

  /** A read the server answers from its tree: never older than the client's last sync. */
  read(s: SimServer, client: number): void {
    const floor = this.syncFloor.get(client) ?? 0;
    if (s.tree.lastProcessedZxid < floor) this.fail(`server ${s.id} served client ${client} a read at ${hex(s.tree.lastProcessedZxid)}, older than its last sync (${hex(floor)})`);
  }

  /** Every server's tree: no ephemeral of a session it does not hold. */
  sweep(servers: readonly SimServer[]): void {
    for (const s of servers) {
      if (!s.up || !s.hasState) continue;
      for (const [owner, paths] of s.tree.allEphemerals()) {
        if (paths.size > 0 && !s.sessions.get(owner)) this.fail(`server ${s.id} holds ephemerals ${[...paths].join(', ')} of session 0x${owner.toString(16)}, which is not open there`);
      }
    }
  }

  /** How much was committed, for the report. */
  get committedCount(): number {
    return this.committed.size;
  }

  /**
   * Moves server `s`'s committed view to `upTo`: the committed sequence's txns in between must
   * be in its history, and its own txns there either are in the sequence or (a leader's only,
   * past every view so far) extend it, committed in `epoch`.
   */
  private extend(s: SimServer, upTo: number, epoch: number | null): void {
    const from = this.marks.get(s.id) ?? -1;
    if (upTo <= from) return;
    for (const z of this.committed.range(from, upTo)) {
      const have = s.hist.get(z);
      if (have !== this.committed.get(z)) this.fail(`server ${s.id} ${have === undefined ? 'lacks' : 'has another txn at'} committed ${hex(z)} (its committed view moves from ${hex(from)} to ${hex(upTo)})`);
    }
    for (const z of s.hist.range(from, upTo)) {
      if (this.committed.get(z) !== undefined) continue;
      const key = s.hist.get(z)!;
      if (epoch === null) this.fail(`learner ${s.id} has ${hex(z)} as committed, which no leader committed`);
      if (z <= this.committedMark) this.fail(`server ${s.id} commits ${hex(z)}, which servers that have committed history to ${hex(this.committedMark)} do not have`);
      this.committed.add(z, key);
      this.commitEpoch.set(z, epoch);
      this.newlyCommitted(z, key, epoch);
    }
    this.committedMark = Math.max(this.committedMark, upTo);
    this.marks.set(s.id, upTo);
  }

  private newlyCommitted(zxid: number, key: string, epoch: number): void {
    for (const l of this.established) {
      if (l.epoch > epoch && l.hist.get(zxid) !== key) this.fail(`txn ${hex(zxid)} committed in epoch ${epoch} is not in the history server ${l.sid} leads the later epoch ${l.epoch} with`);
    }
    const txn = this.seen.get(zxid)!.txn;
    const m = txn.body.kind === 'create' ? SEQUENTIAL.exec(txn.body.path) : null;
    if (!m) return;
    const [, parent, digits] = m;
    const n = Number(digits);
    const last = this.lastSequence.get(parent!) ?? -1;
    if (n <= last) this.fail(`sequential create ${(txn.body as { path: string }).path} at ${hex(zxid)} reuses a number (last was ${last})`);
    this.lastSequence.set(parent!, n);
  }
}

function describe(txn: Txn): string {
  const b = txn.body;
  return `${b.kind}${'path' in b ? ` ${b.path}` : ''} (session 0x${txn.sessionId.toString(16)})`;
}
