import { JuteError } from '@paddock/coord-protocol';
import { NONE, type Notification, PEER_STATES } from '../election/vote.js';
import { safeLong } from './safe-long.js';

/**
 * The election port's bytes, as ZooKeeper 3.8's QuorumCnxManager and FastLeaderElection
 * write them.
 *
 * A dialer opens with a handshake: long protocol version (-65536, or -65535 when it sends
 * several addresses), long server id, int length, then its election address(es) as
 * "host:port" joined by "|". Servers older than 3.5 sent only the id (a non-negative long).
 * After that both ways carry frames: int length (1..512 KiB), then a notification:
 *
 *   int state | long leader | long zxid | long electionEpoch | long peerEpoch
 *   [| int version [| int configLength | config bytes]]     (28, 40 or 44+ bytes)
 */
const PROTOCOL_V1 = -65536n;
const PROTOCOL_V2 = -65535n;
/** ZooKeeper's limit on an election frame. */
export const MAX_ELECTION_FRAME = 512 * 1024;
/** The handshake's address string is bounded too (ZooKeeper uses jute.maxbuffer). */
const MAX_HANDSHAKE_ADDRESS = 64 * 1024;
const CURRENT_VERSION = 2;
const INT64_MIN = -(2n ** 63n);

export interface Handshake {
  readonly serverId: number;
  /** "host:port" election addresses of the dialer; empty from servers before 3.5. */
  readonly addresses: readonly string[];
}

function toNumber(v: bigint, what: string): number {
  return v === INT64_MIN ? NONE : safeLong(v, `election message ${what}`);
}

const toLong = (v: number): bigint => (v === NONE ? INT64_MIN : BigInt(v));

export function encodeHandshake(h: Handshake): Buffer {
  const addr = Buffer.from(h.addresses.join('|'), 'utf8');
  const out = Buffer.alloc(20 + addr.length);
  out.writeBigInt64BE(h.addresses.length > 1 ? PROTOCOL_V2 : PROTOCOL_V1, 0);
  out.writeBigInt64BE(BigInt(h.serverId), 8);
  out.writeInt32BE(addr.length, 16);
  addr.copy(out, 20);
  return out;
}

/**
 * Parses a handshake from the start of `buf`: the handshake and the bytes it used, or null
 * while more bytes are needed. A bad version or length throws, naming it.
 */
export function parseHandshake(buf: Buffer): { handshake: Handshake; used: number } | null {
  if (buf.length < 8) return null;
  const first = buf.readBigInt64BE(0);
  if (first >= 0n) return { handshake: { serverId: toNumber(first, 'server id'), addresses: [] }, used: 8 };
  if (first !== PROTOCOL_V1 && first !== PROTOCOL_V2) throw new JuteError(`election handshake: unknown protocol version ${first}`);
  if (buf.length < 20) return null;
  const serverId = toNumber(buf.readBigInt64BE(8), 'server id');
  const len = buf.readInt32BE(16);
  if (len <= 0 || len > MAX_HANDSHAKE_ADDRESS) throw new JuteError(`election handshake: bad address length ${len}`);
  if (buf.length < 20 + len) return null;
  const addresses = buf.toString('utf8', 20, 20 + len).split('|');
  return { handshake: { serverId, addresses }, used: 20 + len };
}

/** A notification as one frame, length prefix included. Always the current (version 2) form. */
export function encodeNotification(n: Notification): Buffer {
  const config = Buffer.from(n.config ?? '', 'utf8');
  const out = Buffer.alloc(4 + 44 + config.length);
  out.writeInt32BE(44 + config.length, 0);
  out.writeInt32BE(PEER_STATES.indexOf(n.state), 4);
  out.writeBigInt64BE(toLong(n.leader), 8);
  out.writeBigInt64BE(toLong(n.zxid), 16);
  out.writeBigInt64BE(toLong(n.electionEpoch), 24);
  out.writeBigInt64BE(toLong(n.peerEpoch), 32);
  out.writeInt32BE(CURRENT_VERSION, 40);
  out.writeInt32BE(config.length, 44);
  config.copy(out, 48);
  return out;
}

/**
 * Decodes one frame's payload in any of the three forms ZooKeeper accepts. Returns null for
 * a state it does not know (ZooKeeper drops those); throws on a malformed payload.
 */
export function decodeNotification(p: Buffer): Notification | null {
  // ZooKeeper reads 28 bytes (no peer epoch), 40 (no version) or 44 and more; other sizes
  // run out of bytes part way, and it drops them.
  if (p.length !== 28 && p.length !== 40 && p.length < 44) {
    throw new JuteError(`election message of ${p.length} bytes has no known form`);
  }
  const stateCode = p.readInt32BE(0);
  const leader = toNumber(p.readBigInt64BE(4), 'leader');
  const zxid = toNumber(p.readBigInt64BE(12), 'zxid');
  const electionEpoch = toNumber(p.readBigInt64BE(20), 'election epoch');
  // The 28-byte form predates the peer epoch: it is the zxid's epoch.
  const peerEpoch = p.length === 28 ? Math.floor(zxid / 2 ** 32) : toNumber(p.readBigInt64BE(28), 'peer epoch');
  const version = p.length >= 44 ? p.readInt32BE(36) : 0;
  let config: string | null = null;
  if (version > 1) {
    const len = p.readInt32BE(40);
    if (len < 0 || 44 + len > p.length) throw new JuteError(`election message: bad config length ${len}`);
    config = p.toString('utf8', 44, 44 + len);
  }
  const state = PEER_STATES[stateCode];
  if (state === undefined) return null;
  return { state, leader, zxid, electionEpoch, peerEpoch, version, config };
}
