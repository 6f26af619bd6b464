import {
  type Id, JuteReader, JuteWriter, OpCode, type RecordName, type RecordType, codec, decodeMultiResponse,
  encodeMultiRequest, type MultiOp, type MultiResult, type ReplyHeader, Xid,
} from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { createLogger } from '../../base/logger.js';
import { MemoryTxnLog, type TxnLog } from '../../persistence/txn-log.js';
import type { Txn } from '../../txn/txn.js';
import type { Session } from '../../session/session-tracker.js';
import { buildPipeline } from '../build-pipeline.js';
import type { ClientConn } from '../client-conn.js';

const header = codec('ReplyHeader');
const watcherEvent = codec('WatcherEvent');

/** A connection that records what the pipeline sends it: the capturing next stage of tests. */
export class CapturingConn implements ClientConn {
  session: Session | null = null;
  readonly authInfo: Id[] = [{ scheme: 'ip', id: '127.0.0.1' }];
  readonly remoteAddress = '127.0.0.1';
  readonly frames: Buffer[] = [];
  readonly events: { type: number; state: number; path: string }[] = [];
  closed: string | null = null;
  held = 0;
  paused = false;

  pauseInput(paused: boolean): void {
    this.paused = paused;
  }

  /** Watch notifications (xid -1) are decoded into `events`; replies stay frames. */
  send(frame: Buffer): boolean {
    const r = new JuteReader(frame, 4);
    if (header.decode(r).xid === Xid.notification) this.events.push(watcherEvent.decode(r));
    else this.frames.push(frame);
    return true;
  }
  close(reason: string): void {
    this.closed = reason;
  }
}

/** A pipeline on a manual clock plus helpers to send requests and read replies. */
export function testPipeline(tickTime = 100) {
  const clock = new ManualClock();
  const pipeline = buildPipeline({
    tickTime, minSessionTimeout: 2 * tickTime, maxSessionTimeout: 20 * tickTime, serverId: 1,
    extendedTypes: true, clock, log: new MemoryTxnLog(), logger: createLogger('silent'),
  });
  let xid = 0;

  function open(timeout = 1000): CapturingConn {
    const conn = new CapturingConn();
    pipeline.connect(conn, { protocolVersion: 0, lastZxidSeen: 0, timeOut: timeout, sessionId: 0n, passwd: Buffer.alloc(16) }, false);
    conn.frames.length = 0;
    return conn;
  }

  function send(conn: CapturingConn, op: number, req: Buffer): { header: ReplyHeader; body: JuteReader } {
    const id = ++xid;
    pipeline.request(conn, id, op, new JuteReader(req));
    const frame = conn.frames.shift();
    if (!frame) throw new Error(`no reply to op ${op}`);
    const r = new JuteReader(frame, 4);
    return { header: header.decode(r), body: r };
  }

  function call<Q extends RecordName, S extends RecordName>(
    conn: CapturingConn, op: number, reqName: Q, req: RecordType<Q>, resName?: S,
  ): { err: number; zxid: number; res?: RecordType<S> } {
    const w = new JuteWriter();
    codec(reqName).encode(w, req);
    const { header: h, body } = send(conn, op, w.take());
    return { err: h.err, zxid: h.zxid, res: h.err === 0 && resName ? codec(resName).decode(body) : undefined };
  }

  function multi(conn: CapturingConn, ops: MultiOp[], op: number = OpCode.multi): { err: number; results: MultiResult[] } {
    const w = new JuteWriter();
    encodeMultiRequest(w, ops);
    const { header: h, body } = send(conn, op, w.take());
    return { err: h.err, results: h.err === 0 ? decodeMultiResponse(body) : [] };
  }

  return { clock, pipeline, open, send, call, multi };
}

export const OPEN_ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

/** A txn log whose durability the test decides: nothing is durable until `flush()`. */
export class ManualTxnLog implements TxnLog {
  appended = 0;
  durableZxid = 0;
  last = 0;
  onDurable: (zxid: number) => void = () => {};

  append(txn: Txn): void {
    this.appended++;
    this.last = txn.zxid;
  }

  /** Everything appended so far (or up to `zxid`) is now on disk. */
  flush(zxid = this.last): void {
    this.durableZxid = zxid;
    this.onDurable(zxid);
  }

  async close(): Promise<void> {}
}
