import { describe, expect, it } from 'vitest';
import { ByteQueue } from './byte-queue.js';

describe('ByteQueue', () => {
  it('keeps bytes in order across growth and compaction', () => {
    const q = new ByteQueue(8);
    const all: number[] = [];
    let next = 0;
    for (let round = 0; round < 200; round++) {
      const chunk = Buffer.from(Array.from({ length: (round % 13) + 1 }, () => next++ & 0xff));
      q.append(chunk);
      all.push(...chunk);
      const take = Math.min(q.length, round % 7);
      expect([...q.copy(take)]).toEqual(all.slice(0, take));
      q.consume(take);
      all.splice(0, take);
      expect(q.length).toBe(all.length);
    }
    expect(() => q.consume(q.length + 1)).toThrow(/consume/);
  });

  it('lets go of a big buffer once it is drained', () => {
    const q = new ByteQueue(16);
    q.append(Buffer.alloc(5 * 1024 * 1024, 1));
    q.consume(5 * 1024 * 1024);
    expect(q.bytes.length).toBe(16);
  });
});
