import {
  type Codec, type ConnectResponse, Code, JuteWriter, OpCode, codec, encodeMultiResponse, type MultiResult,
} from '@paddock/coord-protocol';
import type { ApplyResult } from '../txn/apply.js';

const replyHeader = codec('ReplyHeader');
const watcherEvent = codec('WatcherEvent');
const connectResponse = codec('ConnectResponse');

/** xid and zxid ZooKeeper puts on a watch notification. */
const NOTIFICATION_XID = -1;
const NOTIFICATION_ZXID = -1;

/**
 * Encodes every frame the server sends: replies (header + body), watch events and the
 * connect response. One reusable writer; each call returns a fresh, length-prefixed copy.
 */
export class ReplyEncoder {
  private readonly w = new JuteWriter(64 * 1024);

  reply<T>(xid: number, zxid: number, err: number, body?: Codec<T> | null, value?: T): Buffer {
    const w = this.w.reset();
    const at = w.beginFrame();
    replyHeader.encode(w, { xid, zxid, err });
    if (err === Code.OK && body) body.encode(w, value as T);
    w.endFrame(at);
    return w.take();
  }

  event(type: number, state: number, path: string): Buffer {
    const w = this.w.reset();
    const at = w.beginFrame();
    replyHeader.encode(w, { xid: NOTIFICATION_XID, zxid: NOTIFICATION_ZXID, err: Code.OK });
    watcherEvent.encode(w, { type, state, path });
    w.endFrame(at);
    return w.take();
  }

  connect(resp: ConnectResponse, readOnlyFlag: boolean | undefined): Buffer {
    const w = this.w.reset();
    const at = w.beginFrame();
    connectResponse.encode(w, resp);
    if (readOnlyFlag !== undefined) w.bool(readOnlyFlag);
    w.endFrame(at);
    return w.take();
  }

  /** A multi reply; with an error code, ZooKeeper still appends an empty result list. */
  multi(xid: number, zxid: number, results: readonly MultiResult[], err: number = Code.OK): Buffer {
    const w = this.w.reset();
    const at = w.beginFrame();
    replyHeader.encode(w, { xid, zxid, err });
    encodeMultiResponse(w, results);
    w.endFrame(at);
    return w.take();
  }

  /**
   * The reply to a write: header alone on error, else `response`, the op's response record
   * (the op table's, from coord-protocol's OPS), which takes its fields (path, stat) from the
   * result as it is.
   */
  write(xid: number, zxid: number, r: ApplyResult, response: Codec<unknown> | null): Buffer {
    if (r.type === OpCode.error) return this.reply(xid, zxid, r.err);
    if (r.type === OpCode.multi) return this.multi(xid, zxid, (r.results ?? []).map(toMultiResult));
    return this.reply(xid, zxid, Code.OK, response, r);
  }
}

/**
 * Inside a multi ZooKeeper 3.8 answers create2 like create (path only) and container and TTL
 * creates as create2 (path and Stat).
 */
function toMultiResult(r: ApplyResult): MultiResult {
  switch (r.type) {
    case OpCode.create:
    case OpCode.create2: return { type: OpCode.create, err: Code.OK, body: { path: r.path } };
    case OpCode.createContainer:
    case OpCode.createTTL: return { type: OpCode.create2, err: Code.OK, body: { path: r.path, stat: r.stat } };
    case OpCode.setData: return { type: r.type, err: Code.OK, body: { stat: r.stat } };
    default: return { type: r.type, err: r.err, body: null };
  }
}
