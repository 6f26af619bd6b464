import { describe, expect, it } from 'vitest';
import { PacketType } from '../wire/packet-types.js';
import type { QuorumInput } from '../wire/quorum-packet.js';
import { FROM_LEADER } from '../wire/zab-payloads.js';
import { Learner, type LearnerOutput } from './learner.js';
import { epochOf, makeZxid } from '../zxid.js';

// Found by rolling-replace.test.ts (1 run in 4): a Paddock learner whose term ended during a
// DIFF sync from a leader with commits of its new epoch could never start again: its log held
// 0x200000008 while its currentEpoch file still said 1, and loadEpochs refuses that ("the
// current epoch, 1, is older than the last zxid"), as ZooKeeper's loadDataBase does. ZooKeeper
// 3.8's Learner.syncWithLeader holds DIFF proposals (packetsNotCommitted) and logs them only at
// NEWLEADER, after setCurrentEpoch, so its log never runs ahead of its currentEpoch file. The
// rule checked here on the pure learner machine: no 'log' of a zxid from an epoch later than
// the last currentEpoch written.

const OLD = 1;
const NEW = 2;
const pkt = (type: number, zxid: number, data: Buffer | null = null): QuorumInput => ({ kind: 'packet', packet: { type, zxid, data, authinfo: null } });

/** The first 'log' output whose zxid's epoch is past the currentEpoch written so far, or null. */
function logAheadOfEpoch(outs: readonly LearnerOutput[], startEpoch: number): string | null {
  let current = startEpoch;
  for (const o of outs) {
    if (o.kind === 'currentEpoch') current = o.epoch;
    if (o.kind === 'log' && epochOf(o.zxid) > current) return `log 0x${o.zxid.toString(16)} while currentEpoch is ${current}`;
  }
  return null;
}

describe('a learner never logs a txn of an epoch its currentEpoch file does not hold yet', () => {
  it('DIFF from a leader that already committed txns in its new epoch', () => {
    const l = new Learner({ myId: 1, observer: false, initLimitMs: 10_000, syncLimitMs: 5_000 });
    const outs: LearnerOutput[] = [];
    outs.push(...l.connect(0, { acceptedEpoch: OLD, currentEpoch: OLD, lastZxid: makeZxid(OLD, 5) }));
    outs.push(...l.receive(1, pkt(PacketType.LEADERINFO, makeZxid(NEW, 0), FROM_LEADER.LEADERINFO.encode(0x10000))));
    // The leader's window: our last zxid, then two commits of the new epoch and one in flight.
    outs.push(...l.receive(2, pkt(PacketType.DIFF, makeZxid(NEW, 2))));
    for (const n of [1, 2]) {
      outs.push(...l.receive(3, pkt(PacketType.PROPOSAL, makeZxid(NEW, n), Buffer.from(`txn ${n}`))));
      outs.push(...l.receive(3, pkt(PacketType.COMMIT, makeZxid(NEW, n))));
    }
    outs.push(...l.receive(3, pkt(PacketType.PROPOSAL, makeZxid(NEW, 3), Buffer.from('txn 3'))));
    // The term may end here (leader gone, kill -9): what is on disk must still load.
    expect(logAheadOfEpoch(outs, OLD)).toBeNull();
    outs.push(...l.receive(4, pkt(PacketType.NEWLEADER, makeZxid(NEW, 0))));
    for (const n of [1, 2, 3]) outs.push(...l.logged(makeZxid(NEW, n)));
    expect(logAheadOfEpoch(outs, OLD)).toBeNull();
    // And NEWLEADER is still acknowledged once all three are durable.
    expect(outs.some((o) => o.kind === 'send' && o.packet.type === PacketType.ACK && o.packet.zxid === makeZxid(NEW, 0))).toBe(true);
  });
});
