import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameError, frameOf } from './framing.js';

const bodies = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('hello world'), Buffer.alloc(300, 7), Buffer.from([0, 0, 0, 4])];
const stream = Buffer.concat(bodies.map(frameOf));

function decode(chunks: Buffer[], max = 1024): Buffer[] {
  const out: Buffer[] = [];
  const d = new FrameDecoder(max);
  for (const c of chunks) d.push(c, (f) => out.push(Buffer.from(f)));
  expect(d.pending).toBe(0);
  return out;
}

describe('FrameDecoder', () => {
  it('decodes a stream delivered in one chunk', () => {
    expect(decode([stream])).toEqual(bodies);
  });

  it('decodes the stream split at every byte boundary', () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(decode([stream.subarray(0, i), stream.subarray(i)])).toEqual(bodies);
    }
  });

  it('decodes the stream split at every pair of boundaries', () => {
    for (let i = 0; i <= stream.length; i += 7) {
      for (let j = i; j <= stream.length; j += 11) {
        expect(decode([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)])).toEqual(bodies);
      }
    }
  });

  it('decodes byte by byte', () => {
    expect(decode([...stream].map((b) => Buffer.from([b])))).toEqual(bodies);
  });

  it('decodes any chunking of any frames (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      (frames, cuts) => {
        const bytes = Buffer.concat(frames.map((f) => frameOf(Buffer.from(f))));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(at, p));
          at = p;
        }
        expect(decode(chunks)).toEqual(frames.map((f) => Buffer.from(f)));
      },
    ));
  });

  it('does not keep a view of the caller\'s chunk for an incomplete frame', () => {
    const d = new FrameDecoder(1024);
    const out: Buffer[] = [];
    const chunk = Buffer.from(frameOf(Buffer.from('abcdef')).subarray(0, 7));
    d.push(chunk, (f) => out.push(f));
    chunk.fill(0);
    d.push(Buffer.from('def'), (f) => out.push(f));
    expect(out.map(String)).toEqual(['abcdef']);
  });

  it('rejects negative and oversized lengths', () => {
    const neg = Buffer.alloc(4);
    neg.writeInt32BE(-1);
    expect(() => new FrameDecoder(10).push(neg, () => undefined)).toThrow(FrameError);
    expect(() => new FrameDecoder(10).push(frameOf(Buffer.alloc(11)), () => undefined)).toThrow(/outside 0..10/);
    expect(decode([frameOf(Buffer.alloc(10))], 10)).toHaveLength(1);
  });
});
