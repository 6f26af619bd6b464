import { describe, expect, it } from 'vitest';
import { checkSessionPassword, sessionPassword } from './session-password.js';

// Bytes printed by OpenJDK 17 for `new Random(id ^ 0xB3415C00L).nextBytes(new byte[16])`.
const JDK_VECTORS: readonly (readonly [bigint, string])[] = [
  [0x1000000000000n, 'f22acd4a97e69d6d20a49bb638eadb38'],
  [0x10000a5b3c2d0000n, 'c9bdd98f229619f04f4420c33b589222'],
  [-1n, '20f62cb5648dc2d771471c8a2486a9ee'],
  // Only the low 48 bits seed java.util.Random, so this id shares -1's password.
  [0x7fffffffffffffffn, '20f62cb5648dc2d771471c8a2486a9ee'],
];

describe('sessionPassword', () => {
  it.each(JDK_VECTORS)('derives ZooKeeper\'s password for session %s', (id, hex) => {
    expect(sessionPassword(id).toString('hex')).toBe(hex);
  });

  it('fills a passwd of another length as ZooKeeper fills the buffer the client sent', () => {
    const full = sessionPassword(0x10000a5b3c2d0000n);
    expect(sessionPassword(0x10000a5b3c2d0000n, 6).equals(full.subarray(0, 6))).toBe(true);
    expect(sessionPassword(0x10000a5b3c2d0000n, 0).length).toBe(0);
  });

  it('refuses a length that is not a small non-negative integer, naming it', () => {
    expect(() => sessionPassword(1n, -1)).toThrow(/length -1/);
    expect(() => sessionPassword(1n, 1.5)).toThrow(/length 1.5/);
    expect(() => sessionPassword(1n, 1e9)).toThrow(/length 1000000000/);
  });

  it('checks a reconnect as checkPasswd does', () => {
    const id = 0x10000a5b3c2d0000n;
    expect(checkSessionPassword(id, sessionPassword(id))).toBe(true);
    expect(checkSessionPassword(id, sessionPassword(id + 1n))).toBe(false);
    expect(checkSessionPassword(id, sessionPassword(id, 15))).toBe(false);
    expect(checkSessionPassword(id, null)).toBe(false);
    expect(checkSessionPassword(0n, sessionPassword(0n))).toBe(false);
  });
});
