import { describe, expect, it } from 'vitest';
import { PACKET_TYPES, PacketType, packetTypeName } from './packet-types.js';
import { QuorumWireError } from './quorum-wire-error.js';
import { FROM_LEADER, FROM_LEARNER, ZAB_PROTOCOL_VERSION, decodePayload, payloadCodec } from './zab-payloads.js';
import { epochOf, makeZxid } from '../zxid.js';

const hex = (b: Buffer | null): string | null => (b === null ? null : b.toString('hex'));

describe('packet types', () => {
  it('has every constant of ZooKeeper 3.8 Leader, numbered 1..19 with no gap', () => {
    const codes = Object.values(PACKET_TYPES).map((r) => r.code).sort((a, b) => a - b);
    expect(codes).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(PacketType.NEWLEADER).toBe(10);
    expect(packetTypeName(17)).toBe('LEADERINFO');
    expect(packetTypeName(42)).toBe('UNKNOWN42');
  });
});

describe('zxid helpers', () => {
  it('makes epoch << 32 | counter and reads the epoch back, -1 included', () => {
    expect(makeZxid(5, 3)).toBe(0x500000003);
    expect(epochOf(0x500000003)).toBe(5);
    expect(epochOf(-1)).toBe(-1);
    expect(() => makeZxid(2 ** 21)).toThrow(/epoch 2097152 is outside 0..2097151/);
    expect(() => makeZxid(1, 2 ** 32)).toThrow(/zxid counter/);
  });
});

describe('registration payloads', () => {
  it('LearnerInfo is long sid, int version, long config version (20 bytes), as 3.8 sends it', () => {
    const li = { serverId: 3, protocolVersion: ZAB_PROTOCOL_VERSION, configVersion: 0x100000000 };
    const bytes = FROM_LEARNER.FOLLOWERINFO.encode(li);
    expect(hex(bytes)).toBe('0000000000000003' + '00010000' + '0000000100000000');
    expect(FROM_LEARNER.OBSERVERINFO.decode(bytes)).toEqual(li);
  });

  it('reads a short LearnerInfo as ZooKeeper\'s leader does, and refuses one without a server id', () => {
    expect(FROM_LEARNER.FOLLOWERINFO.decode(Buffer.from('0000000000000007', 'hex')))
      .toEqual({ serverId: 7, protocolVersion: 1, configVersion: null });
    expect(FROM_LEARNER.FOLLOWERINFO.decode(Buffer.from('000000000000000700010000', 'hex')))
      .toEqual({ serverId: 7, protocolVersion: 0x10000, configVersion: null });
    expect(() => FROM_LEARNER.FOLLOWERINFO.decode(null)).toThrow(/FOLLOWERINFO LearnerInfo has no data/);
    expect(() => FROM_LEARNER.FOLLOWERINFO.decode(Buffer.alloc(5))).toThrow(/FOLLOWERINFO LearnerInfo data is 5 bytes, expected at least 8/);
    expect(() => FROM_LEARNER.FOLLOWERINFO.decode(Buffer.from('7fffffffffffff00', 'hex'))).toThrow(/server id is 0x7fffffffffffff00/);
  });

  it('LEADERINFO carries the protocol version, ACKEPOCH the current epoch (-1: already accepted)', () => {
    expect(hex(FROM_LEADER.LEADERINFO.encode(ZAB_PROTOCOL_VERSION))).toBe('00010000');
    expect(FROM_LEARNER.ACKEPOCH.decode(FROM_LEARNER.ACKEPOCH.encode(-1))).toBe(-1);
    expect(() => FROM_LEARNER.ACKEPOCH.decode(Buffer.alloc(2))).toThrow(/ACKEPOCH epoch data is 2 bytes, expected at least 4/);
  });

  it('NEWLEADER carries the config text, or nothing from a pre-Zab-1.0 leader', () => {
    const text = 'server.1=127.0.0.1:1:2:participant;127.0.0.1:3\nversion=0';
    expect(FROM_LEADER.NEWLEADER.decode(FROM_LEADER.NEWLEADER.encode(text))).toBe(text);
    expect(FROM_LEADER.NEWLEADER.decode(null)).toBeNull();
  });
});

describe('session payloads', () => {
  const sid = 0x0300000000000001n;

  it('a learner\'s PING answer is (long session, int timeout) pairs; none is empty data, not null', () => {
    const touches = [{ sessionId: sid, timeout: 4000 }, { sessionId: -2n, timeout: 1 }];
    const bytes = FROM_LEARNER.PING.encode(touches);
    expect(hex(bytes)).toBe('0300000000000001' + '00000fa0' + 'fffffffffffffffe' + '00000001');
    expect(FROM_LEARNER.PING.decode(bytes)).toEqual(touches);
    expect(hex(FROM_LEARNER.PING.encode([]))).toBe('');
    expect(() => FROM_LEARNER.PING.decode(Buffer.alloc(13))).toThrow(/13 bytes, not a whole number of 12-byte session touches/);
    expect(() => FROM_LEARNER.PING.decode(null)).toThrow(/no data/);
    expect(FROM_LEADER.PING.decode(null)).toBeNull();
    expect(() => FROM_LEADER.PING.decode(Buffer.alloc(1))).toThrow(/PING from the leader carries 1 bytes of data, expected none/);
  });

  it('REVALIDATE asks with id + timeout and is answered with id + a boolean byte', () => {
    expect(hex(FROM_LEARNER.REVALIDATE.encode({ sessionId: sid, timeout: 30000 }))).toBe('0300000000000001' + '00007530');
    expect(FROM_LEADER.REVALIDATE.decode(Buffer.from('030000000000000101', 'hex'))).toEqual({ sessionId: sid, valid: true });
    expect(hex(FROM_LEADER.REVALIDATE.encode({ sessionId: sid, valid: false }))).toBe('030000000000000100');
    expect(() => FROM_LEADER.REVALIDATE.decode(Buffer.alloc(12))).toThrow(/REVALIDATE from the leader data is 12 bytes, expected 9/);
  });

  it('REQUEST is session id, cxid, op type and the request record\'s bytes', () => {
    const r = { sessionId: sid, cxid: 4, type: -10, request: Buffer.from('00000fa0', 'hex') };
    const bytes = FROM_LEARNER.REQUEST.encode(r);
    expect(hex(bytes)).toBe('0300000000000001' + '00000004' + 'fffffff6' + '00000fa0');
    expect(FROM_LEARNER.REQUEST.decode(bytes)).toEqual(r);
    expect(() => FROM_LEARNER.REQUEST.decode(Buffer.alloc(15))).toThrow(/REQUEST data is 15 bytes, expected at least 16/);
  });
});

describe('txn and activation payloads', () => {
  it('keeps PROPOSAL and INFORM txns as raw bytes and refuses an empty one', () => {
    const txn = Buffer.from('abcdef', 'hex');
    expect(FROM_LEADER.PROPOSAL.decode(txn)).toBe(txn);
    expect(() => FROM_LEADER.INFORM.decode(null)).toThrow(/INFORM carries no txn/);
  });

  it('the ...ANDACTIVATE packets put the designated leader\'s id first', () => {
    expect(hex(FROM_LEADER.COMMITANDACTIVATE.encode(2))).toBe('0000000000000002');
    const ia = { designatedLeader: 1, txn: Buffer.from('aa', 'hex') };
    expect(FROM_LEADER.INFORMANDACTIVATE.decode(FROM_LEADER.INFORMANDACTIVATE.encode(ia))).toEqual(ia);
  });

  it('packets with meaning in type and zxid alone refuse data', () => {
    for (const name of ['DIFF', 'TRUNC', 'SNAP', 'COMMIT', 'UPTODATE', 'SYNC'] as const) {
      expect(FROM_LEADER[name].decode(null)).toBeNull();
      expect(FROM_LEADER[name].encode(null)).toBeNull();
      expect(() => FROM_LEADER[name].decode(Buffer.alloc(3))).toThrow(new RegExp(`${name} carries 3 bytes`));
    }
    expect(() => FROM_LEARNER.ACK.decode(Buffer.alloc(8))).toThrow(/ACK carries 8 bytes/);
  });
});

describe('payload by type and sender', () => {
  it('finds the codec, and names a packet the sender never sends', () => {
    expect(decodePayload('learner', { type: PacketType.ACKEPOCH, zxid: 0, data: Buffer.from('00000002', 'hex'), authinfo: null })).toBe(2);
    expect(() => payloadCodec('leader', PacketType.REQUEST)).toThrow(QuorumWireError);
    expect(() => payloadCodec('learner', PacketType.COMMIT)).toThrow(/COMMIT \(type 4\) is not a packet a learner sends/);
    expect(() => payloadCodec('leader', 77)).toThrow(/UNKNOWN77 \(type 77\) is not a packet a leader sends/);
  });
});
