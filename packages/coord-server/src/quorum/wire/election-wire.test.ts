import { describe, expect, it } from 'vitest';
import { NONE, type Notification } from '../election/vote.js';
import { decodeNotification, encodeHandshake, encodeNotification, parseHandshake } from './election-wire.js';

const vote: Notification = { state: 'following', leader: 3, zxid: 0x500000007, electionEpoch: 9, peerEpoch: 5, version: 2, config: 'server.1=a:1:2:participant\nversion=0' };

describe('election wire', () => {
  it('writes a notification as ZooKeeper 3.8 does: a 4-byte length, then 44 bytes and the config', () => {
    const frame = encodeNotification(vote);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(frame.subarray(4, 48).toString('hex')).toBe(
      '00000001' + '0000000000000003' + '0000000500000007' + '0000000000000009' + '0000000000000005' + '00000002' + (vote.config!.length.toString(16).padStart(8, '0')),
    );
    expect(decodeNotification(frame.subarray(4))).toEqual(vote);
  });

  it("carries an observer's Long.MIN_VALUE as NONE both ways", () => {
    const obs: Notification = { ...vote, state: 'looking', leader: NONE, zxid: NONE, peerEpoch: NONE };
    const frame = encodeNotification(obs);
    expect(frame.subarray(8, 16).toString('hex')).toBe('8000000000000000');
    expect(decodeNotification(frame.subarray(4))).toEqual(obs);
  });

  it('reads the older 28- and 40-byte forms', () => {
    const full = encodeNotification(vote).subarray(4);
    expect(decodeNotification(full.subarray(0, 40))).toEqual({ ...vote, version: 0, config: null });
    // 28 bytes: no peer epoch, so it is the zxid's epoch.
    expect(decodeNotification(full.subarray(0, 28))).toEqual({ ...vote, version: 0, config: null, peerEpoch: 5 });
  });

  it('refuses sizes ZooKeeper cannot read and a config length past the end; drops an unknown state', () => {
    const full = encodeNotification(vote).subarray(4);
    expect(() => decodeNotification(full.subarray(0, 20))).toThrow(/20 bytes/);
    expect(() => decodeNotification(full.subarray(0, 33))).toThrow(/33 bytes/);
    const badLen = Buffer.from(full);
    badLen.writeInt32BE(9999, 40);
    expect(() => decodeNotification(badLen)).toThrow(/config length 9999/);
    const unknown = Buffer.from(full);
    unknown.writeInt32BE(7, 0);
    expect(decodeNotification(unknown)).toBeNull();
  });

  it('parses a handshake a byte at a time, in both protocol versions and the old id-only form', () => {
    for (const addresses of [['127.0.0.1:3888'], ['10.0.0.1:3888', '10.0.0.2:3888']]) {
      const bytes = encodeHandshake({ serverId: 2, addresses });
      expect(bytes.readBigInt64BE(0)).toBe(addresses.length > 1 ? -65535n : -65536n);
      for (let i = 0; i < bytes.length; i++) expect(parseHandshake(bytes.subarray(0, i))).toBeNull();
      expect(parseHandshake(Buffer.concat([bytes, Buffer.from('xx')]))).toEqual({ handshake: { serverId: 2, addresses }, used: bytes.length });
    }
    const old = Buffer.alloc(8);
    old.writeBigInt64BE(4n);
    expect(parseHandshake(old)).toEqual({ handshake: { serverId: 4, addresses: [] }, used: 8 });
  });

  it('refuses an unknown protocol version and an unreasonable address length, naming them', () => {
    const bad = encodeHandshake({ serverId: 1, addresses: ['h:1'] });
    bad.writeBigInt64BE(-7n, 0);
    expect(() => parseHandshake(bad)).toThrow(/protocol version -7/);
    const long = encodeHandshake({ serverId: 1, addresses: ['h:1'] });
    long.writeInt32BE(-1, 16);
    expect(() => parseHandshake(long)).toThrow(/address length -1/);
  });
});
