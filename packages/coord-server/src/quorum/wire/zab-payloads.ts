import { JuteReader, JuteWriter } from '@paddock/coord-protocol';
import { PACKET_TYPES, packetTypeName, type PacketTypeName } from './packet-types.js';
import { noData, numberAt, oneInt, oneLong, sized, txnBytes, type PayloadCodec } from './payload-codecs.js';
import type { QuorumPacket } from './quorum-packet.js';
import { QuorumWireError } from './quorum-wire-error.js';

/** The ZAB protocol version a 3.4+ server sends in LearnerInfo and LEADERINFO ("Zab 1.0"). */
export const ZAB_PROTOCOL_VERSION = 0x10000;
/** What ZooKeeper's leader assumes of a learner whose LearnerInfo stops after the server id. */
const PRE_ZAB1_VERSION = 0x1;

/**
 * LearnerInfo (zookeeper.jute): long serverid, int protocolVersion, long configVersion, the
 * data of FOLLOWERINFO and OBSERVERINFO. ZooKeeper's leader reads what is there: the id from 8
 * bytes, the version from 12, the config version from 20; so do we (null when absent).
 */
export interface LearnerInfo {
  readonly serverId: number;
  readonly protocolVersion: number;
  /** Version of the learner's quorum config (its zxid); the leader refuses one newer than its own. */
  readonly configVersion: number | null;
}

const learnerInfo = (what: string): PayloadCodec<LearnerInfo> => ({
  decode(data) {
    // A null LearnerInfo is a pre-3.4 learner: ZooKeeper invents an id for it; we refuse.
    const d = sized(data, `${what} LearnerInfo`, 8, true);
    return {
      serverId: numberAt(d, 0, `${what} server id`),
      protocolVersion: d.length >= 12 ? d.readInt32BE(8) : PRE_ZAB1_VERSION,
      configVersion: d.length >= 20 ? numberAt(d, 12, `${what} config version`) : null,
    };
  },
  encode(li) {
    const out = Buffer.allocUnsafe(li.configVersion === null ? 12 : 20);
    out.writeBigInt64BE(BigInt(li.serverId), 0);
    out.writeInt32BE(li.protocolVersion, 8);
    if (li.configVersion !== null) out.writeBigInt64BE(BigInt(li.configVersion), 12);
    return out;
  },
});

/** A session a learner's clients touched since its last PING answer, and its timeout (ms). */
export interface SessionTouch {
  readonly sessionId: bigint;
  readonly timeout: number;
}

const TOUCH_BYTES = 12;

/** The learner's PING answer: (long session id, int timeout) pairs to the end of the data. */
const pingTouches: PayloadCodec<readonly SessionTouch[]> = {
  decode(data) {
    if (data === null) throw new QuorumWireError('PING from a learner has no data, expected session touches');
    if (data.length % TOUCH_BYTES !== 0) throw new QuorumWireError(`PING from a learner has ${data.length} bytes, not a whole number of 12-byte session touches`);
    const out: SessionTouch[] = [];
    for (let at = 0; at < data.length; at += TOUCH_BYTES) {
      out.push({ sessionId: data.readBigInt64BE(at), timeout: data.readInt32BE(at + 8) });
    }
    return out;
  },
  encode(touches) {
    // Never null: ZooKeeper's learner sends its stream's bytes, empty when nothing was touched.
    const out = Buffer.allocUnsafe(touches.length * TOUCH_BYTES);
    touches.forEach((t, i) => {
      out.writeBigInt64BE(t.sessionId, i * TOUCH_BYTES);
      out.writeInt32BE(t.timeout, i * TOUCH_BYTES + 8);
    });
    return out;
  },
};

/** REVALIDATE from a learner: is this session (with this timeout) still alive? */
const revalidateAsk: PayloadCodec<SessionTouch> = {
  decode(data) {
    const d = sized(data, 'REVALIDATE from a learner', 12);
    return { sessionId: d.readBigInt64BE(0), timeout: d.readInt32BE(8) };
  },
  encode: (t) => pingTouches.encode([t]),
};

/** The leader's REVALIDATE answer: the session id and whether it is valid (a Java boolean byte). */
interface RevalidateAnswer {
  readonly sessionId: bigint;
  readonly valid: boolean;
}

const revalidateAnswer: PayloadCodec<RevalidateAnswer> = {
  decode(data) {
    const d = sized(data, 'REVALIDATE from the leader', 9);
    return { sessionId: d.readBigInt64BE(0), valid: d[8] !== 0 };
  },
  encode(a) {
    const out = Buffer.allocUnsafe(9);
    out.writeBigInt64BE(a.sessionId, 0);
    out[8] = a.valid ? 1 : 0;
    return out;
  },
};

/**
 * A client request a learner forwards (Learner.request): session id, cxid, op type, then the
 * request record's bytes as the client sent them (createSession: the timeout as an int;
 * closeSession: nothing). The client's auth ids travel in the packet's authinfo.
 */
export interface ForwardedRequest {
  readonly sessionId: bigint;
  readonly cxid: number;
  readonly type: number;
  readonly request: Buffer;
}

/** Reused for every forwarded request (take() copies out): no scratch buffer per request. */
const forwardWriter = new JuteWriter(4096);

const forwardedRequest: PayloadCodec<ForwardedRequest> = {
  decode(data) {
    const d = sized(data, 'REQUEST', 16, true);
    // Through a JuteReader: its id cache gives the few sessions' ids back without a BigInt each.
    const r = new JuteReader(d);
    return { sessionId: r.id(), cxid: r.int(), type: r.int(), request: d.subarray(16) };
  },
  encode(r) {
    const w = forwardWriter.reset();
    w.id(r.sessionId);
    w.int(r.cxid);
    w.int(r.type);
    w.raw(r.request);
    return w.take();
  },
};

/**
 * NEWLEADER's data in 3.8: the leader's last seen quorum config as zoo.cfg text (its
 * QuorumVerifier's toString: server.N lines, then version=<hex> when dynamic config made one).
 * A pre-Zab-1.0 leader sends none.
 */
const newLeaderConfig: PayloadCodec<string | null> = {
  decode: (data) => (data === null ? null : data.toString('utf8')),
  encode: (text) => (text === null ? null : Buffer.from(text, 'utf8')),
};

/** INFORMANDACTIVATE: the designated leader's id, then the reconfig txn. */
interface InformAndActivate {
  readonly designatedLeader: number;
  readonly txn: Buffer;
}

const informAndActivate: PayloadCodec<InformAndActivate> = {
  decode(data) {
    const d = sized(data, 'INFORMANDACTIVATE', 9, true);
    return { designatedLeader: numberAt(d, 0, 'INFORMANDACTIVATE designated leader'), txn: d.subarray(8) };
  },
  encode(v) {
    const out = Buffer.allocUnsafe(8 + v.txn.length);
    out.writeBigInt64BE(BigInt(v.designatedLeader), 0);
    v.txn.copy(out, 8);
    return out;
  },
};

/** What each packet a leader sends carries in its data. */
export const FROM_LEADER = {
  LEADERINFO: oneInt('LEADERINFO protocol version'),
  DIFF: noData('DIFF'),
  TRUNC: noData('TRUNC'),
  SNAP: noData('SNAP'),
  PROPOSAL: txnBytes('PROPOSAL'),
  COMMIT: noData('COMMIT'),
  COMMITANDACTIVATE: oneLong('COMMITANDACTIVATE designated leader'),
  INFORM: txnBytes('INFORM'),
  INFORMANDACTIVATE: informAndActivate,
  NEWLEADER: newLeaderConfig,
  UPTODATE: noData('UPTODATE'),
  PING: noData('PING from the leader'),
  REVALIDATE: revalidateAnswer,
  SYNC: noData('SYNC'),
} satisfies { [N in PacketTypeName]?: PayloadCodec<unknown> };

/** What each packet a learner sends carries in its data. */
export const FROM_LEARNER = {
  FOLLOWERINFO: learnerInfo('FOLLOWERINFO'),
  OBSERVERINFO: learnerInfo('OBSERVERINFO'),
  ACKEPOCH: oneInt('ACKEPOCH epoch'),
  ACK: noData('ACK'),
  PING: pingTouches,
  REVALIDATE: revalidateAsk,
  REQUEST: forwardedRequest,
} satisfies { [N in PacketTypeName]?: PayloadCodec<unknown> };

type Table = Readonly<Record<string, PayloadCodec<unknown>>>;

/**
 * The codec for a packet's data by its type and sender; a type that side never sends (a
 * learner's COMMIT, a leader's REQUEST) is a QuorumWireError naming both.
 */
export function payloadCodec(from: 'leader' | 'learner', type: number): PayloadCodec<unknown> {
  const name = packetTypeName(type);
  const table: Table = from === 'leader' ? FROM_LEADER : FROM_LEARNER;
  const row = name in PACKET_TYPES ? table[name] : undefined;
  if (!row) throw new QuorumWireError(`${name} (type ${type}) is not a packet a ${from} sends`);
  return row;
}

/** Decodes a packet's data by its type and sender (see payloadCodec). */
export function decodePayload(from: 'leader' | 'learner', p: QuorumPacket): unknown {
  return payloadCodec(from, p.type).decode(p.data);
}
