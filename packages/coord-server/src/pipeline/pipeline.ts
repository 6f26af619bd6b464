import { type ConnectRequest, Code, type JuteReader } from '@paddock/coord-protocol';
import type { Clock } from '@paddock/edges';
import type { SessionTracker } from '../session/session-tracker.js';
import type { DataTree } from '../tree/data-tree.js';
import type { WatchManager } from '../watch/watch-manager.js';
import type { Auth } from './auth.js';
import type { ClientConn } from './client-conn.js';
import type { ContainerReaper } from './container-reaper.js';
import type { Database } from './database.js';
import type { DurabilityGate } from './durability-gate.js';
import type { Handshake } from './handshake.js';
import type { LeaderSide } from './leader-side.js';
import type { LearnerSide } from './learner-side.js';
import { OP_TABLE } from './op-table.js';
import type { ReplyEncoder } from './reply-encoder.js';
import type { ReplyStage } from './reply-stage.js';
import type { PacketCounters, RequestStats } from './request-stats.js';
import { type ClientRequest, Request, type Stage } from './request.js';
import type { SessionExpiry } from './session-expiry.js';

/** Bytes of a request frame before its body: the length prefix and the RequestHeader (xid, op). */
const REQUEST_FRAME_OVERHEAD = 12;

/** The parts buildPipeline wires together. */
export interface PipelineParts {
  readonly db: Database;
  readonly clock: Clock;
  readonly stats: RequestStats;
  readonly encoder: ReplyEncoder;
  readonly gate: DurabilityGate;
  /** The first stage: prep → log → apply → reply. */
  readonly first: Stage;
  readonly reply: ReplyStage;
  readonly handshake: Handshake;
  readonly auth: Auth;
  /** Null on an ensemble learner: the leader expires sessions and reaps containers. */
  readonly expiry: SessionExpiry | null;
  readonly reaper: ContainerReaper | null;
  /** On a server that prepares txns (standalone or leader): requests learners forward. */
  readonly leader?: LeaderSide;
  /** On a learner: forwarding, commits, SYNCs and session revalidation. */
  readonly learner?: LearnerSide;
}

/**
 * The request path of the server as the connections see it (see README.md): a frame becomes a
 * Request and enters the stages. Everything runs to completion in order on one event loop turn,
 * so per-session order and "a client sees the event before the new data" hold by construction.
 */
export class Pipeline {
  readonly tree: DataTree;
  readonly sessions: SessionTracker;
  readonly dataWatches: WatchManager<ClientConn>;
  readonly childWatches: WatchManager<ClientConn>;
  /** Latency, outstanding replies, reply sizes and packet counts for the four-letter words and the admin API. */
  readonly stats: RequestStats;

  /** Requests learners forward, on a standalone server or leader. */
  readonly leader: LeaderSide | null;
  /** What waits while the pipeline is held (see `hold`); null when open. */
  private held: (() => void)[] | null = null;
  /** The learner's side, on an ensemble learner. */
  readonly learner: LearnerSide | null;
  /** Monotonic ms when it was built: an ensemble leader builds its pipeline as it starts serving. */
  readonly startedAt: number;

  constructor(private readonly p: PipelineParts) {
    this.startedAt = p.clock.monotonic();
    this.leader = p.leader ?? null;
    this.learner = p.learner ?? null;
    this.tree = p.db.tree;
    this.sessions = p.db.sessions;
    this.dataWatches = p.db.dataWatches;
    this.childWatches = p.db.childWatches;
    this.stats = p.stats;
  }

  get counters(): PacketCounters {
    return this.stats.counters;
  }

  get zxid(): number {
    return this.tree.lastProcessedZxid;
  }

  /** Replies and events waiting for the disk, and the slots the queue holds (for tests). */
  get heldQueue(): { readonly waiting: number; readonly slots: number } {
    return this.p.gate.heldQueue;
  }

  /**
   * Holds every request, connect and forwarded request (in arrival order) until `release`, and
   * skips expiry and reaping meanwhile: nothing changes the tree while held. An ensemble leader
   * holds for the moment it waits for its proposals in flight to commit before it snapshots
   * the tree for a learner (the tree must be committed state).
   */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held;
    this.held = null;
    for (const run of held ?? []) run();
  }

  /** Runs `fn` now, or after `release` while held. */
  whenOpen(fn: () => void): void {
    if (this.held) this.held.push(fn);
    else fn();
  }

  /** A connection's first frame. */
  connect(conn: ClientConn, req: ConnectRequest, readOnlyFlag: boolean | undefined): void {
    if (this.held) return void this.held.push(() => this.connect(conn, req, readOnlyFlag));
    this.stats.metrics.connectionRequests++;
    this.p.handshake.connect(conn, req, readOnlyFlag);
  }

  /**
   * One request frame (after its RequestHeader) of an established session (ZooKeeper's
   * processPacket): addAuth and SASL go to auth.ts, an unknown op is refused, the rest enters
   * the stages.
   */
  request(conn: ClientConn, xid: number, op: number, body: JuteReader): void {
    if (this.held) return void this.held.push(() => this.request(conn, xid, op, body));
    const s = conn.session;
    if (!s || s.closing) return;
    const req = new Request(conn, s.id, xid, op, OP_TABLE.get(op), body, this.p.clock.monotonic()) as ClientRequest;
    this.stats.counters.received++;
    this.stats.metrics.bytesReceived += REQUEST_FRAME_OVERHEAD + body.remaining;
    this.sessions.touch(s);
    const h = req.handler;
    if (h === undefined) {
      // As ZooKeeper: Unimplemented with zxid -1, then the connection is closed.
      this.p.reply.finish(req, this.p.encoder.reply(xid, -1, Code.Unimplemented), `unknown op ${op}`);
    } else if (h.kind === 'control' && h.name === 'auth') {
      this.p.auth.addAuth(req);
    } else if (h.kind === 'control' && h.name === 'sasl') {
      this.p.auth.sasl(req);
    } else {
      this.p.first.process(req);
    }
  }

  /** A connection went away: its watches go with it; its session lives on until expiry. */
  connectionClosed(conn: ClientConn): void {
    this.stats.closed(conn);
    this.dataWatches.removeWatcher(conn);
    this.childWatches.removeWatcher(conn);
    if (conn.session?.owner === conn) conn.session.owner = null;
  }

  /** Called every tick: expired sessions are closed through the pipeline like any other. */
  expireSessions(): void {
    if (!this.held) this.p.expiry?.expire();
  }

  /** Deletes empty containers that once had children, and TTL nodes idle past their TTL. */
  reapContainers(): number {
    return this.held ? 0 : this.p.reaper?.reap() ?? 0;
  }
}
