/**
 * The QuorumPacket types of ZooKeeper 3.8's quorum port (the constants in its Leader class),
 * one row each: the number on the wire, who sends it, and what its zxid and data carry.
 * Every other file names a packet by its row here, never by a bare number.
 */
export const PACKET_TYPES = {
  REQUEST: { code: 1, from: 'learner', carries: 'a client write (or sync) forwarded to the leader: data = session id, cxid, op type, request record; authinfo = the client connection\'s ids; zxid -1' },
  PROPOSAL: { code: 2, from: 'leader', carries: 'a txn to log: zxid = its zxid, data = the txn serialization (TxnHeader, txn record, digest)' },
  ACK: { code: 3, from: 'learner', carries: 'the zxid a follower has logged (or NEWLEADER\'s zxid, and the new epoch\'s first zxid after UPTODATE); no data' },
  COMMIT: { code: 4, from: 'leader', carries: 'zxid of the proposal a follower may now apply; no data' },
  PING: { code: 5, from: 'both', carries: 'leader: zxid = its last proposed, no data; learner\'s answer: the same zxid, data = (session id, timeout) pairs it touched' },
  REVALIDATE: { code: 6, from: 'both', carries: 'learner: data = session id + timeout, zxid -1; leader\'s answer: data = session id + valid flag, same zxid' },
  SYNC: { code: 7, from: 'leader', carries: 'the leader has passed a learner\'s forwarded sync; zxid 0, no data' },
  INFORM: { code: 8, from: 'leader', carries: 'a committed txn for an observer: zxid, data = the txn serialization' },
  COMMITANDACTIVATE: { code: 9, from: 'leader', carries: 'COMMIT of a reconfig: zxid, data = the designated leader\'s id (8 bytes)' },
  NEWLEADER: { code: 10, from: 'leader', carries: 'end of the sync: zxid = the new epoch\'s first zxid, data = the leader\'s last seen config as zoo.cfg text' },
  FOLLOWERINFO: { code: 11, from: 'learner', carries: 'a follower registers: zxid = its accepted epoch << 32, data = LearnerInfo' },
  UPTODATE: { code: 12, from: 'leader', carries: 'the learner may serve clients; zxid -1, no data' },
  DIFF: { code: 13, from: 'leader', carries: 'sync by txns: zxid = the leader\'s last committed zxid; PROPOSAL/COMMIT pairs follow; no data' },
  TRUNC: { code: 14, from: 'leader', carries: 'sync by truncating the learner\'s log to zxid; no data' },
  SNAP: { code: 15, from: 'leader', carries: 'sync by snapshot: zxid = the snapshot\'s last zxid, no data; the serialized tree and the signature follow on the socket outside any packet' },
  OBSERVERINFO: { code: 16, from: 'learner', carries: 'an observer registers: as FOLLOWERINFO' },
  LEADERINFO: { code: 17, from: 'leader', carries: 'the epoch the leader proposes: zxid = new epoch << 32, data = its protocol version (int)' },
  ACKEPOCH: { code: 18, from: 'learner', carries: 'answer to LEADERINFO: zxid = the learner\'s last logged zxid, data = its current epoch (int, -1 when it already accepted this epoch)' },
  INFORMANDACTIVATE: { code: 19, from: 'leader', carries: 'INFORM of a reconfig: data = the designated leader\'s id (8 bytes), then the txn serialization' },
} as const;

export type PacketTypeName = keyof typeof PACKET_TYPES;

/** The wire number of each packet type, e.g. PacketType.PING === 5. */
export const PacketType = Object.fromEntries(
  Object.entries(PACKET_TYPES).map(([name, row]) => [name, row.code]),
) as { readonly [N in PacketTypeName]: (typeof PACKET_TYPES)[N]['code'] };

const NAMES = new Map<number, PacketTypeName>(
  (Object.keys(PACKET_TYPES) as PacketTypeName[]).map((name) => [PACKET_TYPES[name].code, name]),
);

/** The name of a packet type for messages and logs; an unknown number reads UNKNOWN<n>, as ZooKeeper logs it. */
export function packetTypeName(code: number): string {
  return NAMES.get(code) ?? `UNKNOWN${code}`;
}
