import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { Code, OpCode } from '@paddock/coord-protocol';
import { PacketType, packetTypeName } from '../../packages/coord-server/src/quorum/wire/packet-types.js';
import type { QuorumPacket } from '../../packages/coord-server/src/quorum/wire/quorum-packet.js';
import { FROM_LEADER, FROM_LEARNER, ZAB_PROTOCOL_VERSION } from '../../packages/coord-server/src/quorum/wire/zab-payloads.js';
import { epochOf, makeZxid } from '../../packages/coord-server/src/quorum/zxid.js';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';
import type { FakeLearner } from './support/fake-learner.js';
import {
  forward, reconfigBody, register, registerPreZab1, requestBody, sessionTimeoutBody, sync, txnHeader, type Registered,
} from './support/learner-steps.js';
import { freePort } from '../support/ports.js';
import { ZkEnsemble, type Member } from './support/zk-ensemble.js';

/**
 * Our QuorumPacket and payload codecs against a real ZooKeeper 3.8 leader. Two Debian
 * ZooKeeper servers and a seat for server 3 (a participant, then an observer) elect a leader
 * between them; a learner built of our codecs takes seat 3 on the leader's quorum port,
 * registers, is synced by SNAP, DIFF and TRUNC, then follows live writes, answers PINGs with
 * its session, forwards requests of a session it created, revalidates and syncs. Every byte the
 * leader sent must decode and re-encode to itself.
 */

const SID = 3;
/** A session id of server 3 (high byte = server id, as ZooKeeper makes them). */
const SESSION = (3n << 56n) | 1n;
const SESSION_TIMEOUT = 2000;
const report = process.env.PADDOCK_ZAB_REPORT ? (line: string): void => console.info(`[zab-wire] ${line}`) : (): void => undefined;

const skip = skipWithoutZooKeeper('ZAB wire against a real ZooKeeper 3.8 leader');

describe.skipIf(skip).each(['participant', 'observer'] as const)('a learner of our codecs as %s 3 of {ZK1, ZK2, fake3}', (role) => {
  const infoKind = role === 'participant' ? 'FOLLOWERINFO' : 'OBSERVERINFO';
  let ensemble: ZkEnsemble | undefined;
  let leader: Member;
  let client: CoordClient | undefined;
  let open: FakeLearner | undefined;
  const seen = new Map<string, number>();
  /** The leader's last zxid, as its SNAP said. */
  let lastZxid = 0;

  const quorumPort = (): number => leader.quorumPort;
  /** One received packet of each kind, summed up for the report. */
  const samples = new Map<string, string>();
  const keep = (r: Registered): void => {
    for (const [kind, n] of r.learner.checkRoundTrip()) seen.set(kind, (seen.get(kind) ?? 0) + n);
    for (const input of r.learner.inputs) {
      if (input.kind !== 'packet' || samples.has(packetTypeName(input.packet.type))) continue;
      const { zxid, data, authinfo } = input.packet;
      samples.set(packetTypeName(input.packet.type), `zxid ${zxid < 0 ? zxid : `0x${zxid.toString(16)}`}, data ${data === null ? 'null' : `${data.length} B`}, authinfo ${JSON.stringify(authinfo)}`);
    }
  };
  const done = async (r: Registered): Promise<void> => {
    keep(r);
    await r.learner.close();
    open = undefined;
  };

  beforeAll(async () => {
    // reconfigEnabled, so that a reconfig shows COMMITANDACTIVATE and INFORMANDACTIVATE.
    ensemble = await ZkEnsemble.start({
      members: [{ id: 1 }, { id: 2 }, { id: SID, role, external: true }],
      extra: { reconfigEnabled: 'true' },
    });
    leader = await ensemble.waitForLeader();
    const other = ensemble.members.find((m) => !m.external && m.id !== leader.id)!;
    // Writes go through the server that is not the leader: it forwards them to the leader as REQUESTs.
    client = await CoordClient.connect(`127.0.0.1:${other.clientPort}`, { sessionTimeout: 10_000 });
    await client.create('/qpkt', 'root');
    for (const name of ['a', 'b', 'c']) await client.create(`/qpkt/${name}`, name);
  }, 120_000);

  afterAll(async () => {
    await open?.close();
    await client?.close().catch(() => undefined);
    await ensemble?.stop();
    report(`${role}: packets checked ${JSON.stringify(Object.fromEntries(seen))}`);
    for (const [kind, sample] of samples) report(`${role}: ${kind}: ${sample}`);
  }, 60_000);

  it('registers, and is synced by SNAP when it claims zxid 0 and the leader has data', async () => {
    const r = await register(quorumPort(), SID, infoKind, 0);
    open = r.learner;
    expect(r.leaderProtocolVersion).toBe(ZAB_PROTOCOL_VERSION);
    expect(r.epoch).toBeGreaterThan(0);
    const s = await sync(r);
    expect(s.mode).toBe('SNAP');
    expect(epochOf(s.zxid)).toBe(r.epoch);
    // The snapshot holds the nodes written before (raw here; the snapshot reader decodes it).
    expect(s.snapshot!.includes(Buffer.from('/qpkt/c'))).toBe(true);
    expect(s.newLeader.zxid).toBe(makeZxid(r.epoch));
    const config = FROM_LEADER.NEWLEADER.decode(s.newLeader.data)!;
    expect(config).toContain(`server.${leader.id}=127.0.0.1:${leader.quorumPort}:${leader.electionPort}:participant`);
    expect(config).toContain(`server.${SID}=`);
    expect(s.upToDate.zxid).toBe(-1);
    lastZxid = s.zxid;
    report(`${role}: SNAP zxid 0x${s.zxid.toString(16)}, snapshot ${s.snapshot!.length} bytes, NEWLEADER config ${JSON.stringify(config)}`);
    await done(r);
  }, 60_000);

  it('is synced by an empty DIFF when it claims the leader\'s own zxid', async () => {
    const r = await register(quorumPort(), SID, infoKind, lastZxid, epochOf(lastZxid));
    open = r.learner;
    const s = await sync(r);
    expect(s.mode).toBe('DIFF');
    expect(s.zxid).toBe(lastZxid);
    expect(s.queued).toEqual([]);
    await done(r);
  }, 60_000);

  it('is synced by DIFF with PROPOSAL/COMMIT pairs when it is two txns behind', async () => {
    const r = await register(quorumPort(), SID, infoKind, lastZxid - 2, epochOf(lastZxid));
    open = r.learner;
    const s = await sync(r);
    expect(s.mode).toBe('DIFF');
    expect(s.zxid).toBe(lastZxid);
    expect(s.queued.map((p) => [p.type, p.zxid])).toEqual([
      [PacketType.PROPOSAL, lastZxid - 1], [PacketType.COMMIT, lastZxid - 1],
      [PacketType.PROPOSAL, lastZxid], [PacketType.COMMIT, lastZxid],
    ]);
    expect(txnHeader(s.queued[0]!.data!).zxid).toBe(lastZxid - 1);
    await done(r);
  }, 60_000);

  it('is dropped when it answers a PING before it ACKs NEWLEADER (the leader reads only that ACK then)', async () => {
    const r = await register(quorumPort(), SID, infoKind, lastZxid, epochOf(lastZxid));
    open = r.learner;
    await r.learner.until('NEWLEADER');
    const { packet: ping } = await r.learner.until('PING');
    r.learner.send({ type: PacketType.PING, zxid: ping.zxid, data: FROM_LEARNER.PING.encode([]), authinfo: null });
    // ZooKeeper's LearnerHandler logs "Next packet was supposed to be an ACK" and closes (Debian's
    // jar has no SLF4J binding here, so the close is what a test can see).
    await expect(r.learner.until('UPTODATE')).rejects.toThrow(/closed the quorum connection/);
    await done(r);
  }, 60_000);

  it('as a pre-Zab-1.0 learner (LearnerInfo version 0x1) gets NEWLEADER without config first, no LEADERINFO', async () => {
    const r = await registerPreZab1(quorumPort(), SID, infoKind, lastZxid);
    open = r.learner;
    expect(r.newLeader.data).toBeNull();
    expect(epochOf(r.newLeader.zxid)).toBe(epochOf(lastZxid));
    expect(r.first).toMatchObject({ type: PacketType.DIFF, zxid: lastZxid });
    expect(r.upToDate.zxid).toBe(-1);
    await done({ learner: r.learner, epoch: epochOf(lastZxid), leaderProtocolVersion: 1 });
  }, 60_000);

  it('is told to TRUNC when it claims txns the leader never had, then follows live traffic', async () => {
    const r = await register(quorumPort(), SID, infoKind, lastZxid + 5, epochOf(lastZxid));
    open = r.learner;
    const s = await sync(r);
    expect(s.mode).toBe('TRUNC');
    expect(s.zxid).toBe(lastZxid);
    await followLive(r);
    await done(r);
  }, 90_000);

  /** Live traffic on a synced learner: client writes, our own session's requests, PINGs, REVALIDATE, SYNC. */
  async function followLive(r: Registered): Promise<void> {
    const { learner } = r;
    // A client's write through the other real server.
    await client!.setData('/qpkt/a', 'live');
    const txn = await committed(learner);
    expect(txnHeader(txn.data!).type).toBe(OpCode.setData);

    // A session of our own, created as a learner does: createSession forwarded with its timeout.
    learner.touches = [{ sessionId: SESSION, timeout: SESSION_TIMEOUT }];
    forward(learner, SESSION, 0, OpCode.createSession, sessionTimeoutBody(SESSION_TIMEOUT), null);
    const created = txnHeader((await committed(learner)).data!);
    expect(created).toMatchObject({ clientId: SESSION, type: OpCode.createSession });

    // PINGs answered with the session's touch keep it alive past its timeout (2 s; a PING every 0.5 s).
    const before = learner.pingsAnswered;
    await learner.pings(before + 3 * (SESSION_TIMEOUT / 500));
    learner.send({ type: PacketType.REVALIDATE, zxid: -1, data: revalidate(SESSION), authinfo: null });
    expect(FROM_LEADER.REVALIDATE.decode((await learner.until('REVALIDATE')).packet.data)).toEqual({ sessionId: SESSION, valid: true });
    learner.send({ type: PacketType.REVALIDATE, zxid: -1, data: revalidate(SESSION + 99n), authinfo: null });
    expect(FROM_LEADER.REVALIDATE.decode((await learner.until('REVALIDATE')).packet.data)).toEqual({ sessionId: SESSION + 99n, valid: false });

    // A write of that session, forwarded with its client's auth ids.
    const body = requestBody('SetDataRequest', { path: '/qpkt/b', data: Buffer.from('from-fake'), version: -1 });
    forward(learner, SESSION, 1, OpCode.setData, body, [{ scheme: 'ip', id: '127.0.0.1' }]);
    const set = txnHeader((await committed(learner)).data!);
    expect(set).toMatchObject({ clientId: SESSION, cxid: 1, type: OpCode.setData });
    await client!.sync('/qpkt/b');
    expect((await client!.getData('/qpkt/b')).data?.toString()).toBe('from-fake');

    // A forwarded sync is answered by SYNC once the leader has passed it.
    forward(learner, SESSION, 2, OpCode.sync, requestBody('SyncRequest', { path: '/qpkt' }), []);
    const synced = await learner.until('SYNC');
    expect(synced.packet).toMatchObject({ zxid: 0, data: null, authinfo: null });

    await reconfigure(learner);

    // Closing the session is a forwarded closeSession with no request bytes.
    forward(learner, SESSION, 3, OpCode.closeSession, Buffer.alloc(0), null);
    const closed = await committed(learner);
    expect(txnHeader(closed.data!)).toMatchObject({ clientId: SESSION, type: OpCode.closeSession });

    // The leader's PING carries its last proposed zxid and no data.
    await learner.pings(learner.pingsAnswered + 1);
    expect(learner.lastPing).toMatchObject({ zxid: closed.zxid, data: null, authinfo: null });
    report(`${role}: live ok, ${learner.pingsAnswered} PINGs answered`);
  }

  /**
   * A reconfig forwarded from our session: without a super id in authinfo the leader proposes
   * an error txn (NOAUTH: the authinfo we encode is what its ACL check reads); with one it
   * proposes the reconfig and commits it by COMMITANDACTIVATE, or INFORMANDACTIVATE to observers.
   */
  async function reconfigure(learner: FakeLearner): Promise<void> {
    const [q, e, c] = [await freePort(), await freePort(), await freePort()];
    const body = reconfigBody(`server.4=127.0.0.1:${q}:${e}:observer;127.0.0.1:${c}`, null);
    forward(learner, SESSION, 4, OpCode.reconfig, body, [{ scheme: 'ip', id: '127.0.0.1' }]);
    const refused = await committed(learner);
    expect(txnHeader(refused.data!)).toMatchObject({ cxid: 4, type: OpCode.error });
    expect(refused.data!.readInt32BE(32)).toBe(Code.NoAuth);

    forward(learner, SESSION, 5, OpCode.reconfig, body, [{ scheme: 'super', id: 'fake3' }]);
    if (role === 'observer') {
      const { packet } = await learner.until('INFORMANDACTIVATE');
      const ia = FROM_LEADER.INFORMANDACTIVATE.decode(packet.data);
      expect(ia.designatedLeader).toBe(leader.id);
      expect(txnHeader(ia.txn)).toMatchObject({ zxid: packet.zxid, type: OpCode.reconfig });
      return;
    }
    const { packet: proposal } = await learner.until('PROPOSAL');
    expect(txnHeader(proposal.data!)).toMatchObject({ cxid: 5, type: OpCode.reconfig });
    learner.send({ type: PacketType.ACK, zxid: proposal.zxid, data: null, authinfo: null });
    const { packet } = await learner.until('COMMITANDACTIVATE');
    expect(packet.zxid).toBe(proposal.zxid);
    expect(FROM_LEADER.COMMITANDACTIVATE.decode(packet.data)).toBe(leader.id);
  }

  /**
   * The next committed txn as this learner sees it: a follower gets PROPOSAL, ACKs it after
   * "logging" and gets COMMIT; an observer gets one INFORM. Returns the packet carrying the txn.
   */
  async function committed(learner: FakeLearner): Promise<QuorumPacket> {
    if (role === 'observer') return (await learner.until('INFORM')).packet;
    const { packet: proposal } = await learner.until('PROPOSAL');
    learner.send({ type: PacketType.ACK, zxid: proposal.zxid, data: null, authinfo: null });
    const { packet: commit } = await learner.until('COMMIT');
    expect(commit.zxid).toBe(proposal.zxid);
    return proposal;
  }

  function revalidate(sessionId: bigint): Buffer | null {
    return FROM_LEARNER.REVALIDATE.encode({ sessionId, timeout: SESSION_TIMEOUT });
  }
});
