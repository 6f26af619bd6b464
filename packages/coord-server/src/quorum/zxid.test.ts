import { describe, expect, it } from 'vitest';
import { MAX_EPOCH, counterOf, epochOf, makeZxid } from './zxid.js';

describe('zxid', () => {
  it('puts the epoch in the high 32 bits and the counter in the low 32, as ZooKeeper does', () => {
    expect(makeZxid(1, 1)).toBe(0x100000001);
    expect(makeZxid(0x5, 0xffffffff)).toBe(0x5ffffffff);
    for (const [e, c] of [[0, 0], [1, 0], [7, 123456], [MAX_EPOCH, 0xffffffff]] as const) {
      const z = makeZxid(e, c);
      expect([epochOf(z), counterOf(z)]).toEqual([e, c]);
      expect(Number.isSafeInteger(z)).toBe(true);
    }
  });

  it('refuses an epoch or counter out of range with a message naming it', () => {
    expect(() => makeZxid(MAX_EPOCH + 1, 0)).toThrow(`zxid epoch ${MAX_EPOCH + 1} is outside 0..${MAX_EPOCH}`);
    expect(() => makeZxid(-1, 0)).toThrow('zxid epoch -1');
    expect(() => makeZxid(1, 2 ** 32)).toThrow('zxid counter 4294967296');
    expect(() => makeZxid(1, 0.5)).toThrow('zxid counter 0.5');
  });
});
