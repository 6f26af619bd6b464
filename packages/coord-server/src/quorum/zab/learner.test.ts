import { describe, expect, it } from 'vitest';
import { PacketType } from '../wire/packet-types.js';
import type { QuorumPacket } from '../wire/quorum-packet.js';
import { FROM_LEADER, FROM_LEARNER } from '../wire/zab-payloads.js';
import { makeZxid } from '../zxid.js';
import { Learner, type LearnerOutput } from './learner.js';

const E = 3; // the new epoch the leader proposes
const pkt = (type: number, zxid: number, data: Buffer | null = null): { kind: 'packet'; packet: QuorumPacket } => ({ kind: 'packet', packet: { type, zxid, data, authinfo: null } });
const leaderInfo = pkt(PacketType.LEADERINFO, makeZxid(E, 0), FROM_LEADER.LEADERINFO.encode(0x10000));
const txn = (n: number): Buffer => Buffer.from(`txn-${n}`);
const z = (n: number): number => makeZxid(2, n);
const proposal = (n: number) => pkt(PacketType.PROPOSAL, z(n), txn(n));
const commit = (n: number) => pkt(PacketType.COMMIT, z(n));

/** Outputs in a compact form: sends as "SEND <type> <zxid hex>", effects as "<kind> <zxid hex>". */
function brief(outs: LearnerOutput[]): string[] {
  const name = (t: number): string => Object.entries(PacketType).find(([, c]) => c === t)![0];
  return outs.map((o) => {
    switch (o.kind) {
      case 'send': return `SEND ${name(o.packet.type)} ${o.packet.zxid.toString(16)}`;
      case 'log': case 'apply': case 'truncate': case 'loadSnapshot': return `${o.kind} ${o.zxid.toString(16)}`;
      case 'acceptEpoch': case 'currentEpoch': return `${o.kind} ${o.epoch}`;
      case 'snapshot': return `snapshot with currentEpoch ${o.currentEpoch}`;
      default: return o.kind;
    }
  });
}

function follower(observer = false): Learner {
  return new Learner({ myId: 7, observer, initLimitMs: 10_000, syncLimitMs: 5_000 });
}

/** A learner past registration, last logged zxid z(2), awaiting the sync. */
function registered(observer = false): Learner {
  const l = follower(observer);
  l.connect(0, { acceptedEpoch: 2, currentEpoch: 2, lastZxid: z(2) });
  l.receive(1, leaderInfo);
  return l;
}

describe('learner (ZAB, learner side)', () => {
  it('registers: FOLLOWERINFO with its accepted epoch, then accepts a newer epoch before ACKEPOCH', () => {
    const l = follower();
    const [info] = l.connect(0, { acceptedEpoch: 2, currentEpoch: 1, lastZxid: z(5) });
    expect(info).toMatchObject({ kind: 'send', packet: { type: PacketType.FOLLOWERINFO, zxid: makeZxid(2, 0) } });
    const li = FROM_LEARNER.FOLLOWERINFO.decode((info as { packet: QuorumPacket }).packet.data);
    expect(li).toEqual({ serverId: 7, protocolVersion: 0x10000, configVersion: 0 });
    const out = l.receive(1, leaderInfo);
    expect(brief(out)).toEqual(['acceptEpoch 3', `SEND ACKEPOCH ${z(5).toString(16)}`]);
    const ack = (out[1] as { packet: QuorumPacket }).packet;
    expect(FROM_LEARNER.ACKEPOCH.decode(ack.data)).toBe(1); // its current epoch
  });

  it('reports -1 for an epoch it already accepted, and refuses an older one', () => {
    const same = follower();
    same.connect(0, { acceptedEpoch: E, currentEpoch: 2, lastZxid: 0 });
    const out = same.receive(1, leaderInfo);
    expect(brief(out)).toEqual(['SEND ACKEPOCH 0']);
    expect(FROM_LEARNER.ACKEPOCH.decode((out[0] as { packet: QuorumPacket }).packet.data)).toBe(-1);
    const ahead = follower();
    ahead.connect(0, { acceptedEpoch: 9, currentEpoch: 9, lastZxid: 0 });
    expect(ahead.receive(1, leaderInfo)).toEqual([{ kind: 'shutdown', reason: expect.stringMatching(/epoch 3 is less than our accepted epoch 9/) }]);
  });

  it('an observer registers with OBSERVERINFO', () => {
    const [info] = follower(true).connect(0, { acceptedEpoch: 0, currentEpoch: 0, lastZxid: 0 });
    expect(info).toMatchObject({ packet: { type: PacketType.OBSERVERINFO } });
  });

  it('DIFF: applies commits, logs what came once NEWLEADER put the epoch on disk, acknowledges it once durable', () => {
    const l = registered();
    expect(brief(l.receive(2, pkt(PacketType.DIFF, z(4))))).toEqual([]);
    expect(brief(l.receive(3, proposal(3)))).toEqual([]);
    expect(brief(l.receive(3, commit(3)))).toEqual([`apply ${z(3).toString(16)}`]);
    expect(brief(l.receive(3, proposal(4)))).toEqual([]);
    expect(brief(l.receive(4, pkt(PacketType.NEWLEADER, makeZxid(E, 0))))).toEqual(['currentEpoch 3', `log ${z(3).toString(16)}`, `log ${z(4).toString(16)}`]);
    expect(brief(l.logged(z(3)))).toEqual([]);
    expect(brief(l.logged(z(4)))).toEqual([`SEND ACK ${makeZxid(E, 0).toString(16)}`, `SEND ACK ${z(3).toString(16)}`, `SEND ACK ${z(4).toString(16)}`]);
    expect(brief(l.receive(5, pkt(PacketType.UPTODATE, -1)))).toEqual([`SEND ACK ${makeZxid(E, 0).toString(16)}`, 'serve']);
    expect(l.state).toBe('broadcast');
    expect(brief(l.receive(6, commit(4)))).toEqual([`apply ${z(4).toString(16)}`]);
  });

  it('SNAP: loads the snapshot, applies what commits during the sync without logging, snapshots at NEWLEADER', () => {
    const l = registered();
    expect(brief(l.receive(2, pkt(PacketType.SNAP, z(9))))).toEqual([]);
    expect(brief(l.receive(2, { kind: 'snapshot', snapshot: Buffer.from('tree') }))).toEqual([`loadSnapshot ${z(9).toString(16)}`]);
    expect(brief(l.receive(3, proposal(10)))).toEqual([]);
    expect(brief(l.receive(3, commit(10)))).toEqual([`apply ${z(10).toString(16)}`]);
    expect(brief(l.receive(3, proposal(11)))).toEqual([]);
    expect(brief(l.receive(4, pkt(PacketType.NEWLEADER, makeZxid(E, 0))))).toEqual(['snapshot with currentEpoch 3']);
    // The uncommitted proposal goes to the log only after the snapshot, and the ACK after both.
    expect(brief(l.snapshotted())).toEqual([`log ${z(11).toString(16)}`]);
    expect(brief(l.logged(z(11)))).toEqual([`SEND ACK ${makeZxid(E, 0).toString(16)}`, `SEND ACK ${z(11).toString(16)}`]);
  });

  it('TRUNC: truncates the log first', () => {
    const l = registered();
    expect(brief(l.receive(2, pkt(PacketType.TRUNC, z(1))))).toEqual([`truncate ${z(1).toString(16)}`]);
    expect(brief(l.receive(4, pkt(PacketType.NEWLEADER, makeZxid(E, 0))))).toEqual(['snapshot with currentEpoch 3']);
    expect(brief(l.snapshotted())).toEqual([`SEND ACK ${makeZxid(E, 0).toString(16)}`]);
  });

  it('following: ACKs after fsync in order, applies commits in order, answers PING, REVALIDATE and SYNC', () => {
    const l = registered();
    l.receive(2, pkt(PacketType.DIFF, z(2)));
    l.receive(3, pkt(PacketType.NEWLEADER, makeZxid(E, 0)));
    l.receive(4, pkt(PacketType.UPTODATE, -1));
    const y = (n: number): number => makeZxid(E, n);
    expect(brief(l.receive(5, pkt(PacketType.PROPOSAL, y(1), txn(1))))).toEqual([`log ${y(1).toString(16)}`]);
    l.receive(5, pkt(PacketType.PROPOSAL, y(2), txn(2)));
    expect(brief(l.logged(y(2)))).toEqual([`SEND ACK ${y(1).toString(16)}`, `SEND ACK ${y(2).toString(16)}`]);
    expect(l.receive(6, pkt(PacketType.COMMIT, y(1)))).toEqual([{ kind: 'apply', zxid: y(1), txn: txn(1) }]);
    expect(brief(l.receive(7, pkt(PacketType.PING, y(2))))).toEqual(['answerPing']);
    expect(l.receive(7, pkt(PacketType.REVALIDATE, -1, FROM_LEADER.REVALIDATE.encode({ sessionId: 5n, valid: true })))).toEqual([{ kind: 'revalidated', sessionId: 5n, valid: true }]);
    expect(brief(l.receive(7, pkt(PacketType.SYNC, 0)))).toEqual(['synced']);
    // A commit out of order means we missed something: stop and sync again.
    expect(l.receive(8, pkt(PacketType.COMMIT, y(7)))).toEqual([{ kind: 'shutdown', reason: expect.stringMatching(/commit of 0x300000007 while the next proposal is 0x300000002/) }]);
  });

  it('observing: each INFORM is logged and applied, and nothing is ACKed but NEWLEADER and UPTODATE', () => {
    const l = registered(true);
    l.receive(2, pkt(PacketType.DIFF, z(2)));
    expect(brief(l.receive(3, pkt(PacketType.NEWLEADER, makeZxid(E, 0))))).toEqual(['currentEpoch 3', `SEND ACK ${makeZxid(E, 0).toString(16)}`]);
    l.receive(4, pkt(PacketType.UPTODATE, -1));
    const y = makeZxid(E, 1);
    expect(brief(l.receive(5, pkt(PacketType.INFORM, y, txn(1))))).toEqual([`log ${y.toString(16)}`, `apply ${y.toString(16)}`]);
    expect(brief(l.logged(y))).toEqual([]);
  });

  it('gives up when the leader is silent past initLimit while syncing and past syncLimit after', () => {
    const l = registered();
    expect(l.tick(10_001)).toEqual([]);
    expect(l.tick(10_002)).toEqual([{ kind: 'shutdown', reason: expect.stringMatching(/limit 10000 ms/) }]);
    const f = registered();
    f.receive(2, pkt(PacketType.DIFF, z(2)));
    f.receive(3, pkt(PacketType.NEWLEADER, makeZxid(E, 0)));
    f.receive(4, pkt(PacketType.UPTODATE, -1));
    expect(f.deadline()).toBe(4 + 5_000 + 1);
    expect(brief(f.tick(5_005))).toEqual(['shutdown']);
  });

  it('stops on a packet out of place', () => {
    const l = follower();
    l.connect(0, { acceptedEpoch: 0, currentEpoch: 0, lastZxid: 0 });
    expect(l.receive(1, pkt(PacketType.DIFF, 0))).toEqual([{ kind: 'shutdown', reason: 'unexpected DIFF from the leader while registering' }]);
  });
});
