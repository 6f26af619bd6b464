import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../call/rpc-error.js';
import { ByteBudget } from '../byte-budget.js';
import { FrameDecoder } from './frame-decoder.js';

function frame(body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

function collector(max = 1024): { decoder: FrameDecoder; frames: string[] } {
  const frames: string[] = [];
  const decoder = new FrameDecoder(max, { onFrame: (b) => frames.push(b.toString('hex')) });
  return { decoder, frames };
}

describe('FrameDecoder', () => {
  const bodies = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('hello world'), Buffer.alloc(300, 7), Buffer.from([0, 1, 2])];
  const stream = Buffer.concat(bodies.map(frame));
  const expected = bodies.map((b) => b.toString('hex'));

  it('cuts whole frames out of one chunk', () => {
    const { decoder, frames } = collector();
    decoder.push(stream);
    expect(frames).toEqual(expected);
  });

  it('gives the same frames for every split point of a valid stream', () => {
    for (let i = 0; i <= stream.length; i++) {
      const { decoder, frames } = collector();
      decoder.push(stream.subarray(0, i));
      decoder.push(stream.subarray(i));
      expect(frames, `split at ${i}`).toEqual(expected);
    }
  });

  it('gives the same frames for any chunking (property, seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 40 }), (cuts) => {
        const { decoder, frames } = collector();
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        let from = 0;
        for (const p of points) {
          decoder.push(stream.subarray(from, p));
          from = p;
        }
        decoder.push(stream.subarray(from));
        expect(frames).toEqual(expected);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('throws FRAME_TOO_LARGE as soon as a prefix states too much, before buffering the body', () => {
    const { decoder, frames } = collector(16);
    const big = Buffer.alloc(4);
    big.writeUInt32BE(17, 0);
    decoder.push(frame(Buffer.from('ok')));
    let thrown: unknown;
    try {
      decoder.push(Buffer.concat([big.subarray(0, 2)]));
      decoder.push(big.subarray(2));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(RpcError);
    expect((thrown as RpcError).code).toBe('FRAME_TOO_LARGE');
    expect((thrown as RpcError).message).toContain('17 bytes');
    // Stopped: nothing more is delivered.
    decoder.push(frame(Buffer.from('later')));
    expect(frames).toEqual([Buffer.from('ok').toString('hex')]);
  });

  it('accepts a frame of exactly the limit', () => {
    const { decoder, frames } = collector(16);
    decoder.push(frame(Buffer.alloc(16, 1)));
    expect(frames).toHaveLength(1);
  });

  it('stops in the middle of a chunk when told to', () => {
    const frames: string[] = [];
    const decoder: FrameDecoder = new FrameDecoder(64, {
      onFrame: (b) => {
        frames.push(b.toString());
        decoder.stop();
      },
    });
    decoder.push(Buffer.concat([frame(Buffer.from('one')), frame(Buffer.from('two'))]));
    expect(frames).toEqual(['one']);
  });

  it('holds the bytes of an incomplete frame in a shared budget, gives them back, and throws PROVIDER_BUSY when it has no room', () => {
    const budget = new ByteBudget(100);
    const frames: string[] = [];
    const sink = { onFrame: (b: Buffer) => frames.push(b.toString('hex')) };
    const [a, b] = [new FrameDecoder(1024, sink, budget), new FrameDecoder(1024, sink, budget)];
    const f = frame(Buffer.alloc(60, 1));
    a.push(f.subarray(0, 50));
    b.push(f.subarray(0, 40));
    expect(budget.used).toBe(90);
    expect(() => b.push(f.subarray(40, 52))).toThrow(new RpcError('PROVIDER_BUSY', 'incomplete frames of all connections hold 90 bytes; 12 more would pass maxBufferedBytes 100'));
    // b stopped and gave its 40 back; the bytes that complete a's frame are never held.
    expect(budget.used).toBe(50);
    a.push(f.subarray(50));
    expect([frames.length, budget.used]).toEqual([1, 0]);
    // Whole frames in one chunk take nothing; the incomplete rest does, until the decoder stops.
    a.push(Buffer.concat([f, f, f.subarray(0, 10)]));
    expect([frames.length, budget.used]).toEqual([3, 10]);
    a.stop();
    expect(budget.used).toBe(0);
  });
});
