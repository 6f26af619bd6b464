import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameError, frameOf } from './framing.js';

function frame(body: string): Buffer {
  const b = Buffer.from(body);
  const out = Buffer.alloc(4 + b.length);
  out.writeInt32BE(b.length, 0);
  b.copy(out, 4);
  return out;
}

function collect(max = 1024, firstInt?: (v: number) => boolean) {
  const frames: string[] = [];
  const d = new FrameDecoder(max, (buf, s, e) => { frames.push(buf.toString('utf8', s, e)); return true; }, firstInt);
  return { d, frames };
}

describe('FrameDecoder', () => {
  const stream = Buffer.concat([frame('hello'), frame(''), frame('x'.repeat(300)), frame('end')]);
  const expected = ['hello', '', 'x'.repeat(300), 'end'];

  it('yields the same frames for every split point of a valid stream', () => {
    for (let a = 0; a <= stream.length; a++) {
      const { d, frames } = collect();
      d.push(stream.subarray(0, a));
      d.push(stream.subarray(a));
      expect(frames, `split at ${a}`).toEqual(expected);
      expect(d.pendingBytes).toBe(0);
    }
  });

  it('yields the same frames fed one byte at a time', () => {
    const { d, frames } = collect();
    for (let i = 0; i < stream.length; i++) d.push(stream.subarray(i, i + 1));
    expect(frames).toEqual(expected);
  });

  it('rejects negative and oversized lengths, even before the body arrives', () => {
    const neg = Buffer.alloc(4);
    neg.writeInt32BE(-1, 0);
    expect(() => collect().d.push(neg)).toThrow(FrameError);
    const big = Buffer.alloc(4);
    big.writeInt32BE(1025, 0);
    expect(() => collect().d.push(big)).toThrow(/1025 outside 0..1024/);
    const { d } = collect();
    d.push(big.subarray(0, 2));
    expect(() => d.push(big.subarray(2))).toThrow(FrameError);
  });

  it('offers the first four bytes as a possible four-letter word', () => {
    const seen: number[] = [];
    const { d, frames } = collect(1024, (v) => { seen.push(v); return v === Buffer.from('ruok').readInt32BE(0); });
    d.push(Buffer.from('ruok'));
    expect(seen).toHaveLength(1);
    expect(frames).toEqual([]);
    const other = collect(1024, (v) => { seen.push(v); return false; });
    other.d.push(stream);
    expect(other.frames).toEqual(expected);
  });

  it('stops when the handler says the connection is closing', () => {
    const frames: string[] = [];
    const d = new FrameDecoder(1024, (buf, s, e) => { frames.push(buf.toString('utf8', s, e)); return false; });
    d.push(stream);
    expect(frames).toEqual(['hello']);
  });
});

describe('FrameDecoder under any chunking', () => {
  function decode(chunks: Buffer[], max = 1024): Buffer[] {
    const out: Buffer[] = [];
    const d = new FrameDecoder(max, (buf, s, e) => { out.push(Buffer.from(buf.subarray(s, e))); });
    for (const c of chunks) d.push(c);
    expect(d.pendingBytes).toBe(0);
    return out;
  }

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

  it('keeps no view of the caller\'s chunk for an incomplete frame', () => {
    const out: string[] = [];
    const d = new FrameDecoder(1024, (buf, s, e) => { out.push(buf.toString('utf8', s, e)); });
    const chunk = Buffer.from(frameOf(Buffer.from('abcdef')).subarray(0, 7));
    d.push(chunk);
    chunk.fill(0);
    d.push(Buffer.from('def'));
    expect(out).toEqual(['abcdef']);
  });
});
