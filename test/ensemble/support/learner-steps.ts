import { JuteReader, JuteWriter, codec, type Id } from '@paddock/coord-protocol';
import { PacketType } from '../../../packages/coord-server/src/quorum/wire/packet-types.js';
import type { QuorumPacket } from '../../../packages/coord-server/src/quorum/wire/quorum-packet.js';
import { FROM_LEADER, FROM_LEARNER, ZAB_PROTOCOL_VERSION } from '../../../packages/coord-server/src/quorum/wire/zab-payloads.js';
import { epochOf, makeZxid } from '../../../packages/coord-server/src/quorum/zxid.js';
import { FakeLearner } from './fake-learner.js';

/** The steps of ZooKeeper's Learner (registerWithLeader, syncWithLeader, request) over our codecs. */

export interface Registered {
  readonly learner: FakeLearner;
  readonly epoch: number;
  readonly leaderProtocolVersion: number;
}

/**
 * Dials the leader and registers as server `sid`: FOLLOWERINFO or OBSERVERINFO with our
 * accepted epoch, LEADERINFO back, ACKEPOCH with `lastZxid`, the zxid the leader syncs us from.
 */
export async function register(port: number, sid: number, kind: 'FOLLOWERINFO' | 'OBSERVERINFO', lastZxid: number, acceptedEpoch = 0): Promise<Registered> {
  const learner = await FakeLearner.connect(port);
  const info = { serverId: sid, protocolVersion: ZAB_PROTOCOL_VERSION, configVersion: 0 };
  learner.send({ type: PacketType[kind], zxid: makeZxid(acceptedEpoch), data: FROM_LEARNER[kind].encode(info), authinfo: null });
  const leaderInfo = await learner.expect('LEADERINFO');
  const epoch = epochOf(leaderInfo.zxid);
  // As Learner.registerWithLeader: our current epoch for a newer epoch, -1 when already accepted.
  const ours = epoch > acceptedEpoch ? acceptedEpoch : -1;
  learner.send({ type: PacketType.ACKEPOCH, zxid: lastZxid, data: FROM_LEARNER.ACKEPOCH.encode(ours), authinfo: null });
  return { learner, epoch, leaderProtocolVersion: FROM_LEADER.LEADERINFO.decode(leaderInfo.data) };
}

/**
 * Registers as a pre-Zab-1.0 learner would (LearnerInfo version 0x1, its last zxid in
 * FOLLOWERINFO's zxid): ZooKeeper 3.8's leader skips LEADERINFO/ACKEPOCH and sends NEWLEADER,
 * with no config, before the sync; it then waits for our ACK before UPTODATE.
 */
export async function registerPreZab1(port: number, sid: number, kind: 'FOLLOWERINFO' | 'OBSERVERINFO', lastZxid: number): Promise<{ learner: FakeLearner; newLeader: QuorumPacket; first: QuorumPacket; upToDate: QuorumPacket }> {
  const learner = await FakeLearner.connect(port);
  const info = { serverId: sid, protocolVersion: 0x1, configVersion: null };
  learner.send({ type: PacketType[kind], zxid: lastZxid, data: FROM_LEARNER[kind].encode(info), authinfo: null });
  const newLeader = await learner.expect('NEWLEADER');
  let first = await learner.next();
  while (first.kind === 'packet' && first.packet.type === PacketType.PING) first = await learner.next();
  if (first.kind !== 'packet') throw new Error('snapshot before the sync mode packet');
  learner.send({ type: PacketType.ACK, zxid: newLeader.zxid, data: null, authinfo: null });
  learner.answerPings = true;
  const { packet: upToDate } = await learner.until('UPTODATE');
  return { learner, newLeader, first: first.packet, upToDate };
}

export interface Synced {
  /** DIFF, TRUNC or SNAP, and its zxid. */
  readonly mode: 'DIFF' | 'TRUNC' | 'SNAP';
  readonly zxid: number;
  readonly snapshot: Buffer | null;
  /** PROPOSAL and COMMIT packets between the mode packet and NEWLEADER. */
  readonly queued: QuorumPacket[];
  readonly newLeader: QuorumPacket;
  readonly upToDate: QuorumPacket;
  /** PINGs the leader sent during the sync (a learner ignores them until it is synced). */
  readonly pingsDuringSync: number;
}

/** The sync as syncWithLeader reads it: mode packet, queued txns, NEWLEADER → ACK, UPTODATE → ACK. */
export async function sync(r: Registered): Promise<Synced> {
  const { learner } = r;
  let pings = 0;
  let first = await learner.next();
  while (first.kind === 'packet' && first.packet.type === PacketType.PING) {
    pings += 1;
    first = await learner.next();
  }
  if (first.kind !== 'packet') throw new Error('snapshot bytes before the sync mode packet');
  const mode = ({ [PacketType.DIFF]: 'DIFF', [PacketType.TRUNC]: 'TRUNC', [PacketType.SNAP]: 'SNAP' } as const)[first.packet.type as 13 | 14 | 15];
  if (!mode) throw new Error(`sync began with packet type ${first.packet.type}`);
  let snapshot: Buffer | null = null;
  if (mode === 'SNAP') {
    const next = await learner.next(30_000);
    if (next.kind !== 'snapshot') throw new Error('SNAP without the snapshot after it');
    snapshot = next.snapshot;
  }
  const { packet: newLeader, skipped } = await learner.until('NEWLEADER');
  const queued = skipped.filter((p) => p.type !== PacketType.PING);
  pings += skipped.length - queued.length;
  learner.send({ type: PacketType.ACK, zxid: newLeader.zxid, data: null, authinfo: null });
  learner.answerPings = true;
  const { packet: upToDate } = await learner.until('UPTODATE');
  learner.send({ type: PacketType.ACK, zxid: makeZxid(r.epoch), data: null, authinfo: null });
  return { mode, zxid: first.packet.zxid, snapshot, queued, newLeader, upToDate, pingsDuringSync: pings };
}

/** TxnHeader, the start of every txn: enough for a test to know whose txn it is. */
export function txnHeader(txn: Buffer): { clientId: bigint; cxid: number; zxid: number; type: number } {
  const r = new JuteReader(txn);
  const clientId = r.id();
  const cxid = r.int();
  const zxid = r.long();
  r.long();
  return { clientId, cxid, zxid, type: r.int() };
}

/** A client request forwarded as Learner.request does, with the client's auth ids. */
export function forward(learner: FakeLearner, sessionId: bigint, cxid: number, type: number, request: Buffer, authinfo: Id[] | null): void {
  const data = FROM_LEARNER.REQUEST.encode({ sessionId, cxid, type, request });
  learner.send({ type: PacketType.REQUEST, zxid: -1, data, authinfo });
}

const writer = new JuteWriter();

/** The record bytes of a client request, as the learner's client sent them. */
export function requestBody<N extends 'SetDataRequest' | 'SyncRequest'>(name: N, value: Parameters<ReturnType<typeof codec<N>>['encode']>[1]): Buffer {
  codec(name).encode(writer.reset(), value);
  return writer.take();
}

/** ReconfigRequest (zookeeper.jute): joining, leaving, new members (null: incremental), current config id (-1: any). */
export function reconfigBody(joining: string | null, leaving: string | null): Buffer {
  const w = writer.reset();
  w.ustring(joining);
  w.ustring(leaving);
  w.ustring(null);
  w.long(-1);
  return w.take();
}

/** createSession's request bytes: the negotiated timeout (ZooKeeperServer.createSession). */
export function sessionTimeoutBody(timeout: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(timeout, 0);
  return b;
}
