import { Code, KeeperState, OpCode, Xid } from '@paddock/coord-protocol';
import type { Clock } from '@paddock/edges';
import type { DataTree } from '../tree/data-tree.js';
import type { ApplyResult } from '../txn/apply.js';
import type { WatchSink } from '../watch/watch-manager.js';
import type { ClientConn } from './client-conn.js';
import type { DurabilityGate } from './durability-gate.js';
import type { ReadOp, WriteOp } from './op-table.js';
import type { MultiReadAnswer } from './reads.js';
import type { ReplyEncoder } from './reply-encoder.js';
import type { RequestStats } from './request-stats.js';
import type { Request, Stage } from './request.js';

/**
 * reply: encodes each answer and hands it to the durability gate in request order, then
 * records the request's statistics. Fired watches come here too (it is the tables' sink), so
 * every frame the server sends a client is encoded here and leaves through the same gate.
 */
export class ReplyStage implements Stage, WatchSink<ClientConn> {
  constructor(
    private readonly gate: DurabilityGate,
    private readonly encoder: ReplyEncoder,
    private readonly tree: DataTree,
    private readonly stats: RequestStats,
    private readonly clock: Clock,
  ) {}

  process(req: Request): void {
    // The server's own txns, and those a learner forwarded, have nobody to answer here.
    if (req.conn === null || req.conn.answered === false) return;
    const h = req.handler!;
    if (h.kind === 'write') this.finish(req, this.writeReply(req, h), null);
    else if (h.kind === 'read') this.finish(req, this.readReply(req, h), null);
    else if (h.name === 'ping') this.finish(req, this.encoder.reply(Xid.ping, this.tree.lastProcessedZxid, Code.OK), null);
    // closeSession (auth and sasl are answered before the stages, see auth.ts).
    else this.finish(req, this.encoder.reply(req.xid, req.zxid, Code.OK), 'closeSession');
  }

  /** The reply to a write: none for a passing check (ZooKeeper's quirk), else the op's response. */
  private writeReply(req: Request, h: WriteOp): Buffer | null {
    // Refused before it took a zxid: an empty result list, as ZooKeeper answers a multi.
    if (req.txn === null) return this.encoder.multi(req.xid, this.tree.lastProcessedZxid, [], req.err);
    const r = req.result as ApplyResult;
    if (h.silentOnSuccess && r.err === Code.OK && r.type !== OpCode.error) return null;
    return this.encoder.write(req.xid, req.txn.zxid, r, h.response);
  }

  private readReply(req: Request, h: ReadOp): Buffer {
    const zxid = this.tree.lastProcessedZxid;
    if (req.err !== Code.OK) return this.encoder.reply(req.xid, zxid, req.err);
    if (h.response !== 'multi') return this.encoder.reply(req.xid, zxid, Code.OK, h.response, req.result);
    const { results, err } = req.result as MultiReadAnswer;
    return this.encoder.multi(req.xid, zxid, results, err);
  }

  /**
   * Every client request ends here once: its reply (if any) goes through the gate, then the
   * close (if any), and its latency runs until the reply leaves the gate (now, or on release).
   */
  finish(req: Request, frame: Buffer | null, close: string | null): void {
    const conn = req.conn;
    if (conn === null) return;
    if (frame !== null) this.stats.metrics.responseBytes += frame.length;
    const held = frame !== null && this.gate.reply(conn, frame, req.arrival, req.op);
    if (close !== null) this.gate.close(conn, close);
    this.stats.handled(conn, req.xid, req.op, this.tree.lastProcessedZxid, req.arrival, held ? -1 : this.clock.monotonic());
  }

  /** A fired watch: its event leaves through the gate like a reply. */
  watchEvent(conn: ClientConn, type: number, path: string): void {
    const frame = this.encoder.event(type, KeeperState.SyncConnected, path);
    this.stats.metrics.watchBytes += frame.length;
    this.gate.send(conn, frame);
  }
}
