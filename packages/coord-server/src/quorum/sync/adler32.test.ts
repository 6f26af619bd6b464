import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@paddock/edges';
import { Adler32 } from './adler32.js';

/** zlib ends a deflate stream with the Adler-32 of what it compressed: an independent oracle. */
function zlibAdler(buf: Buffer): number {
  const z = deflateSync(buf, { level: 0 });
  return z.readUInt32BE(z.length - 4);
}

describe('Adler32', () => {
  it('gives the published value for "Wikipedia" and 1 for nothing', () => {
    expect(new Adler32().update(Buffer.from('Wikipedia')).value).toBe(0x11e60398);
    expect(new Adler32().value).toBe(1);
  });

  it('agrees with zlib on random bytes however they are split, and on 3 MiB of 0xff (the largest sums)', () => {
    const random = seededRandom(12);
    const buf = Buffer.alloc(100_000);
    for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(random() * 256);
    for (const cut of [0, 1, 5551, 5552, 65_536, 99_999]) {
      expect(new Adler32().update(buf.subarray(0, cut)).update(buf.subarray(cut)).value).toBe(zlibAdler(buf));
    }
    const ff = Buffer.alloc(3 * 1024 * 1024 + 7, 0xff);
    expect(new Adler32().update(ff).value).toBe(zlibAdler(ff));
  });
});
