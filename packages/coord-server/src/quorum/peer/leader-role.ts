import { createServer, type Server } from 'node:net';
import { OpCode } from '@paddock/coord-protocol';
import type { Pipeline } from '../../pipeline/pipeline.js';
import type { QuorumConfig } from '../config/quorum-config.js';
import { DeadlineTimer } from '../net/deadline-timer.js';
import { QuorumSocket } from '../net/quorum-socket.js';
import { TreeDigest } from '../sync/digest.js';
import { PacketType, packetTypeName } from '../wire/packet-types.js';
import { Leader, type LeaderOutput } from '../zab/leader.js';
import type { TermEnd } from './next-term.js';
import type { LocalState, PeerHost } from './peer-host.js';
import type { SyncCodecs } from './quorum-peer.js';
import { QuorumLog } from './quorum-log.js';
import type { LearnerView } from './quorum-status.js';

export interface LeaderRoleOptions {
  readonly host: PeerHost;
  readonly config: QuorumConfig;
  readonly epochs: { readonly acceptedEpoch: number; readonly currentEpoch: number };
  readonly state: LocalState;
  /** The state in ZooKeeper's serializations: recent commits, older ones from the log, the snapshot. */
  readonly codecs: SyncCodecs;
  /** Puts an epoch the machine moved to on disk (before its next output is acted on). */
  readonly saveEpoch: (which: 'accepted' | 'current', epoch: number) => void;
}

/**
 * One term as leader: the quorum port's listener, the ZAB leader machine driven on the host's
 * clock, and the pipeline it serves with once a quorum is in sync. Resolves with the reason
 * the term ended (the machine stepped down, or `stop`).
 */
export class LeaderRole {
  readonly leader: Leader;
  private readonly sockets = new Map<number, QuorumSocket>();
  private nextConn = 1;
  private server: Server | null = null;
  private readonly timer: DeadlineTimer;
  private pipeline: Pipeline | null = null;
  private log: QuorumLog | null = null;
  /** The tree's digest the pipeline keeps as it applies, from the last term's or counted once at lead. */
  private digest: TreeDigest | null = null;
  private ended: ((reason: string) => void) | null = null;
  readonly done: Promise<string>;
  private readonly sizes = { last: -1, min: -1, max: -1 };

  constructor(private readonly o: LeaderRoleOptions) {
    const { config } = o;
    this.leader = new Leader(
      {
        myId: config.myid, voters: [...config.verifier.voters], tickMs: o.host.tickTime, initLimit: config.initLimit,
        syncLimit: config.syncLimit, config: config.verifier.text, logSync: o.codecs.logSync,
      },
      { ...o.epochs, lastZxid: o.state.recovered.lastZxid, recent: o.codecs.recent(o.state) },
    );
    this.timer = new DeadlineTimer(o.host.clock);
    this.done = new Promise((resolve) => {
      this.ended = resolve;
    });
  }

  get proposalSizes(): { last: number; min: number; max: number } {
    return { ...this.sizes };
  }

  learners(): LearnerView[] {
    const { followers, observers } = this.leader.synced();
    const synced = new Set([...followers, ...observers]);
    return this.leader.connectedLearners().map((l) => {
      const socket = this.sockets.get(l.conn);
      return {
        id: l.sid, observer: l.observer, synced: synced.has(l.sid), address: socket?.remote ?? '',
        counters: l.counters, queued: socket?.queued ?? { packets: 0, bytes: 0 },
      };
    });
  }

  async start(): Promise<void> {
    const self = this.o.config.self.addresses[0]!;
    const host = this.o.config.quorumListenOnAllIPs ? '0.0.0.0' : self.host;
    const server = createServer((s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(self.quorumPort, host, () => resolve());
    });
    this.apply(this.leader.begin(this.o.host.clock.monotonic()));
  }

  stop(reason: string): void {
    this.finish(reason);
  }

  /** What the term leaves: the leader's tree is the one it loaded (it never syncs from another). */
  async end(): Promise<TermEnd> {
    const { tree, sessions } = this.o.state.recovered;
    return { tree, sessions, ...(this.digest ? { digest: this.digest } : {}) };
  }

  private accept(socket: import('node:net').Socket): void {
    const conn = this.nextConn++;
    const qs = new QuorumSocket(socket, 'leader', (input) => {
      if (input.kind === 'packet') this.apply(this.leader.receive(this.o.host.clock.monotonic(), conn, input.packet));
    }, (reason) => {
      this.sockets.delete(conn);
      this.o.host.logger.info({ conn, reason }, 'learner connection closed');
      this.apply(this.leader.disconnected(conn));
    });
    this.sockets.set(conn, qs);
    this.apply(this.leader.connected(this.o.host.clock.monotonic(), conn));
  }

  private apply(outs: readonly LeaderOutput[]): void {
    for (const o of outs) this.act(o);
    this.arm();
  }

  private act(o: LeaderOutput): void {
    switch (o.kind) {
      case 'send':
        if (o.packet.type === PacketType.DIFF || o.packet.type === PacketType.TRUNC) {
          this.o.host.stats.ensemble.diffSyncs++;
          this.logSync(o.conn, o.packet.type, o.packet.zxid);
        }
        this.sockets.get(o.conn)?.send(o.packet);
        return;
      case 'sendSnapshot': return this.sendSnapshot(o.conn, o.zxid);
      case 'readLog': return this.apply(this.leader.logRead(o.conn, this.o.codecs.older(this.o.state, o.from, o.before)));
      case 'close': this.sockets.get(o.conn)?.close(o.reason); return;
      case 'acceptEpoch': return this.o.saveEpoch('accepted', o.epoch);
      case 'currentEpoch': return this.o.saveEpoch('current', o.epoch);
      case 'lead': return this.lead(o.zxid);
      case 'commit':
        this.o.host.stats.ensemble.commits++;
        this.log?.committed(o.zxid);
        return;
      case 'request': return this.request(o);
      case 'revalidate': {
        const valid = this.pipeline?.leader?.revalidate(o.session.sessionId, o.session.timeout) ?? false;
        return this.apply(this.leader.revalidated(o.conn, o.session.sessionId, valid));
      }
      case 'touch': this.pipeline?.leader?.touch(o.sessions); return;
      case 'hold': this.pipeline?.hold(); return;
      case 'release': this.pipeline?.release(); return;
      case 'shutdown': return this.finish(o.reason);
    }
  }

  private logSync(conn: number, type: number, zxid: number): void {
    const sid = this.leader.connectedLearners().find((l) => l.conn === conn)?.sid;
    this.o.host.logger.info({ learner: sid, mode: packetTypeName(type), zxid: `0x${zxid.toString(16)}` }, 'syncing learner');
  }

  private sendSnapshot(conn: number, zxid: number): void {
    const s = this.sockets.get(conn);
    if (!s) return;
    this.o.host.stats.ensemble.snapSyncs++;
    this.logSync(conn, PacketType.SNAP, zxid);
    s.send({ type: PacketType.SNAP, zxid, data: null, authinfo: null });
    for (const chunk of this.o.codecs.snapshot(this.o.state)) s.sendRaw(chunk);
  }

  /** A quorum is in sync: serve, with the log stage proposing to the quorum. */
  private lead(epochZxid: number): void {
    const { state, host } = this.o;
    const log = new QuorumLog(state.persistence, (zxid, txn) => this.propose(zxid, txn), epochZxid);
    this.log = log;
    state.persistence.onDurable = (zxid) => this.apply(this.leader.logged(zxid));
    // ZooKeeper 3.8 sends the tree digest with each txn (zookeeper.digest.enabled, on by default).
    // Counting it walks the whole tree: a digest the last term kept saves that at failover.
    this.digest = state.digest ?? TreeDigest.of(state.recovered.tree);
    this.pipeline = host.buildPipeline({ ...state.recovered, lastZxid: epochZxid }, log, { proposer: log, digest: this.digest });
    host.serve(this.pipeline);
  }

  private propose(zxid: number, txn: Buffer): void {
    this.o.host.stats.ensemble.proposals++;
    this.sizes.last = txn.length;
    this.sizes.min = this.sizes.min < 0 ? txn.length : Math.min(this.sizes.min, txn.length);
    this.sizes.max = Math.max(this.sizes.max, txn.length);
    this.apply(this.leader.propose(zxid, txn));
  }

  private request(o: Extract<LeaderOutput, { kind: 'request' }>): void {
    const r = o.request;
    if (r.type === OpCode.sync) return this.apply(this.leader.sync(o.conn));
    const p = this.pipeline;
    p?.whenOpen(() => p.leader?.forwarded(r.sessionId, r.cxid, r.type, r.request, o.authinfo ?? []));
  }

  private arm(): void {
    if (this.ended === null) return this.timer.clear();
    this.timer.arm(this.leader.deadline(), (now) => this.apply(this.leader.tick(now)));
  }

  private finish(reason: string): void {
    const ended = this.ended;
    if (!ended) return;
    this.ended = null;
    this.timer.clear();
    this.server?.close();
    for (const s of [...this.sockets.values()]) s.close('leader stepping down');
    this.o.host.serve(null);
    ended(reason);
  }
}
