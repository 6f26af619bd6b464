import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeCoalesced } from './index.js';

/** A stream that records each system-call-sized write it is handed: one chunk, or a writev's list. */
function recorder(): { stream: Writable; calls: string[][] } {
  const calls: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) { calls.push([chunk.toString()]); done(); },
    writev(chunks, done) { calls.push(chunks.map((c) => (c.chunk as Buffer).toString())); done(); },
  });
  return { stream, calls };
}

const tick = (): Promise<void> => new Promise((r) => process.nextTick(r));

describe('writeCoalesced', () => {
  it('sends the writes of one tick in one writev when the tick ends', async () => {
    const { stream, calls } = recorder();
    for (const s of ['a', 'b', 'c']) writeCoalesced(stream, Buffer.from(s));
    expect(calls).toEqual([]);
    await tick();
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(stream.writableCorked).toBe(0);
    // The next tick starts over; a lone write is a plain write.
    writeCoalesced(stream, Buffer.from('d'));
    await tick();
    expect(calls).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('with firstAtOnce, the first write of a tick leaves at once and the rest together when it ends', async () => {
    const { stream, calls } = recorder();
    for (const s of ['a', 'b', 'c', 'd']) writeCoalesced(stream, Buffer.from(s), true);
    expect(calls).toEqual([['a']]);
    await tick();
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
    expect(stream.writableCorked).toBe(0);
    writeCoalesced(stream, Buffer.from('e'), true);
    writeCoalesced(stream, Buffer.from('f'), true);
    await tick();
    expect(calls).toEqual([['a'], ['b', 'c', 'd'], ['e'], ['f']]);
  });

  it('leaves a stream the caller corked to the caller: everything goes when it uncorks', async () => {
    const { stream, calls } = recorder();
    stream.cork();
    writeCoalesced(stream, Buffer.from('a'));
    writeCoalesced(stream, Buffer.from('b'));
    await tick();
    expect(calls).toEqual([]);
    stream.uncork();
    expect(calls).toEqual([['a', 'b']]);
  });
});
