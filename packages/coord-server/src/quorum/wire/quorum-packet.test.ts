import { describe, expect, it } from 'vitest';
import { quorumLimits } from './limits.js';
import { PacketType } from './packet-types.js';
import {
  QuorumPacketDecoder, encodeQuorumPacket, encodeSnapshotSection, type QuorumInput, type QuorumPacket,
} from './quorum-packet.js';
import { QuorumWireError } from './quorum-wire-error.js';
import { snapshotBytes } from './testing/snapshot-bytes.js';

const packets: QuorumPacket[] = [
  { type: PacketType.LEADERINFO, zxid: 0x500000000, data: Buffer.from([0, 1, 0, 0]), authinfo: null },
  { type: PacketType.UPTODATE, zxid: -1, data: null, authinfo: null },
  { type: PacketType.PING, zxid: 0x500000003, data: Buffer.alloc(0), authinfo: null },
  { type: PacketType.REQUEST, zxid: -1, data: Buffer.from('0300000000000001000000010000000500', 'hex'), authinfo: [] },
  {
    type: PacketType.REQUEST, zxid: -1, data: Buffer.alloc(40, 7),
    authinfo: [{ scheme: 'ip', id: '127.0.0.1' }, { scheme: 'digest', id: 'ü:x' }],
  },
];

/** Feeds `bytes` cut at the given points and collects everything decoded. */
function feed(side: 'leader' | 'learner', bytes: Buffer, cuts: number[]): QuorumInput[] {
  const d = new QuorumPacketDecoder(side);
  const out: QuorumInput[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...d.push(bytes.subarray(from, cut)));
    from = cut;
  }
  expect(d.pendingBytes).toBe(0);
  return out;
}

const asPackets = (ps: QuorumPacket[]): QuorumInput[] => ps.map((packet) => ({ kind: 'packet', packet }));

describe('QuorumPacket encoding', () => {
  it('writes type, zxid, data and authinfo as jute does, -1 for null', () => {
    const bytes = encodeQuorumPacket({ type: 12, zxid: -1, data: null, authinfo: null });
    expect(bytes.toString('hex')).toBe('0000000c' + 'ffffffffffffffff' + 'ffffffff' + 'ffffffff');
    const withAuth = encodeQuorumPacket({ type: 1, zxid: 0x100000002, data: Buffer.alloc(0), authinfo: [{ scheme: 'ip', id: 'a' }] });
    expect(withAuth.toString('hex')).toBe('00000001' + '0000000100000002' + '00000000' + '00000001' + '00000002' + '6970' + '00000001' + '61');
  });

  it('refuses what a peer would refuse: data past the limit, a zxid that is not a safe integer', () => {
    const limits = quorumLimits({ juteMaxBuffer: 2000, extraMaxBuffer: 1024 });
    expect(() => encodeQuorumPacket({ type: 2, zxid: 1, data: Buffer.alloc(3025), authinfo: null }, limits))
      .toThrow(/PROPOSAL data of 3025 bytes is over 3024 \(jute.maxbuffer 2000 \+ zookeeper.jute.maxbuffer.extrasize 1024\)/);
    expect(() => encodeQuorumPacket({ type: 3, zxid: 2 ** 60, data: null, authinfo: null })).toThrow(/ACK zxid .* not a safe integer/);
    const ids = [{ scheme: 'digest', id: 'x'.repeat(2000) }, { scheme: 'digest', id: 'y'.repeat(2000) }];
    expect(() => encodeQuorumPacket({ type: 1, zxid: -1, data: null, authinfo: ids }, limits)).toThrow(/REQUEST authinfo is over 3024 bytes in all/);
  });
});

describe('QuorumPacketDecoder', () => {
  const stream = Buffer.concat(packets.map((p) => encodeQuorumPacket(p)));

  it('decodes a stream cut at every point, and byte by byte, to the same packets', () => {
    const whole = feed('leader', stream, []);
    expect(whole).toEqual(asPackets(packets));
    for (let cut = 1; cut < stream.length; cut++) expect(feed('leader', stream, [cut])).toEqual(whole);
    expect(feed('leader', stream, [...stream.keys()].slice(1))).toEqual(whole);
  });

  it('on a learner, takes the snapshot after SNAP up to its signature, in any chunking', () => {
    const snap = snapshotBytes({
      sessions: [[0x0100000000000001n, 4000]],
      acls: [[1, [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]], [2, []]],
      nodes: [['', null], ['/zookeeper', Buffer.alloc(0)], ['/a', Buffer.from('hello')]],
    });
    const snapPacket: QuorumPacket = { type: PacketType.SNAP, zxid: 0x100000004, data: null, authinfo: null };
    const after: QuorumPacket = { type: PacketType.NEWLEADER, zxid: 0x200000000, data: Buffer.from('server.1=x\n'), authinfo: null };
    const bytes = Buffer.concat([encodeQuorumPacket(snapPacket), encodeSnapshotSection(snap), encodeQuorumPacket(after)]);
    const expected: QuorumInput[] = [{ kind: 'packet', packet: snapPacket }, { kind: 'snapshot', snapshot: snap }, { kind: 'packet', packet: after }];
    for (let cut = 0; cut <= bytes.length; cut++) expect(feed('learner', bytes, [cut])).toEqual(expected);
    expect(feed('learner', bytes, [...bytes.keys()].slice(1))).toEqual(expected);
    // A leader never receives SNAP from a learner: there it is just a packet.
    expect(feed('leader', encodeQuorumPacket(snapPacket), [])).toEqual(asPackets([snapPacket]));
  });

  it('an empty tree (no sessions, no ACLs) ends at the "/" after the root', () => {
    const snap = snapshotBytes({ sessions: [], acls: [], nodes: [['', null]] });
    const bytes = Buffer.concat([encodeQuorumPacket({ type: PacketType.SNAP, zxid: 0, data: null, authinfo: null }), encodeSnapshotSection(snap)]);
    expect(feed('learner', bytes, []).at(-1)).toEqual({ kind: 'snapshot', snapshot: snap });
  });

  it('fails at once on a data length past the limit, naming it, without waiting for the bytes', () => {
    const d = new QuorumPacketDecoder('leader');
    const head = Buffer.from('00000002' + '0000000100000001' + '00200000', 'hex');
    expect(() => d.push(head)).toThrow(/PROPOSAL data length 2097152 outside -1..2097150 \(jute.maxbuffer 1048575 \+ zookeeper.jute.maxbuffer.extrasize 1048575\)/);
    expect(() => d.push(Buffer.alloc(1))).toThrow(QuorumWireError);
  });

  it('names the bad value: negative lengths, an unsafe zxid, too many auth ids', () => {
    const bad = (hex: string, limits = quorumLimits()): (() => void) => () => new QuorumPacketDecoder('leader', limits).push(Buffer.from(hex, 'hex'));
    expect(bad('00000005' + '0000000000000000' + 'fffffffe')).toThrow(/PING data length -2/);
    expect(bad('00000003' + '7fffffffffffffff' + 'ffffffff')).toThrow(/ACK zxid is 0x7fffffffffffffff, outside JS safe integers/);
    expect(bad('00000001' + 'ffffffffffffffff' + 'ffffffff' + '00000003', quorumLimits({ maxAuthInfo: 2 })))
      .toThrow(/REQUEST authinfo count 3 outside -1..2 \(maxAuthInfo\)/);
    expect(bad('00000001' + 'ffffffffffffffff' + 'ffffffff' + '00000001' + '7fffffff')).toThrow(/REQUEST authinfo string length 2147483647/);
    expect(bad('00000063' + '0000000000000000' + 'ffffffff' + 'fffffffe')).toThrow(/UNKNOWN99 authinfo count -2/);
    const tight = quorumLimits({ juteMaxBuffer: 1024, extraMaxBuffer: 1024 });
    expect(bad('00000001' + 'ffffffffffffffff' + 'ffffffff' + '00000002' + '000003e8', tight)).not.toThrow();
    expect(bad('00000001' + 'ffffffffffffffff' + 'ffffffff' + '00000002' + '000003e8' + '00'.repeat(1000) + '000003e8' + '00'.repeat(1000) + '000003e8', tight))
      .toThrow(/REQUEST authinfo is over 2048 bytes in all/);
  });

  it('refuses a snapshot that is malformed or past maxSnapshotBytes', () => {
    const snapHead = encodeQuorumPacket({ type: PacketType.SNAP, zxid: 1, data: null, authinfo: null });
    const learner = (bytes: Buffer, limits = quorumLimits()): (() => void) => () => new QuorumPacketDecoder('learner', limits).push(Buffer.concat([snapHead, bytes]));
    const empty = snapshotBytes({ sessions: [], acls: [], nodes: [['', null]] });
    const wrongSig = Buffer.concat([empty, Buffer.from('0000000a', 'hex'), Buffer.from('BenWasGone')]);
    expect(learner(wrongSig)).toThrow(/snapshot signature is "BenWasGone", expected BenWasHere/);
    expect(learner(Buffer.from('ffffffff', 'hex'))).toThrow(/snapshot session count -1/);
    const big = snapshotBytes({ sessions: [], acls: [], nodes: [['', null], ['/a', Buffer.alloc(5000)]] });
    expect(learner(encodeSnapshotSection(big), quorumLimits({ maxSnapshotBytes: 4096 }))).toThrow(/over maxSnapshotBytes 4096/);
    // Past the bound with the walk waiting inside one node: the buffered bytes trip it.
    expect(learner(big.subarray(0, 4500), quorumLimits({ maxSnapshotBytes: 4096 }))).toThrow(/over maxSnapshotBytes 4096/);
  });

  it('holds a torn packet until it is whole', () => {
    const bytes = encodeQuorumPacket({ type: PacketType.PROPOSAL, zxid: 7, data: Buffer.alloc(300_000, 1), authinfo: null });
    const d = new QuorumPacketDecoder('learner');
    for (let at = 0; at < bytes.length - 1000; at += 1000) expect(d.push(bytes.subarray(at, Math.min(at + 1000, bytes.length - 1000)))).toEqual([]);
    expect(d.pendingBytes).toBe(bytes.length - 1000);
    const out = d.push(bytes.subarray(bytes.length - 1000));
    expect(out).toHaveLength(1);
    expect(d.pendingBytes).toBe(0);
  });
});
