import { describe, expect, it } from 'vitest';
import { RpcError } from '../../call/rpc-error.js';
import { FrameCodec, HEADER_BYTES } from './frame-codec.js';

const codec = new FrameCodec(1024 * 1024, 32);

function roundTrip(value: unknown): unknown {
  const frame = codec.encode([value]);
  expect(frame.readUInt32BE(0)).toBe(frame.length - HEADER_BYTES);
  return (codec.decode(frame.subarray(HEADER_BYTES)) as unknown[])[0];
}

describe('FrameCodec', () => {
  it('keeps Date', () => {
    const out = roundTrip(new Date(1_700_000_000_123));
    expect(out).toBeInstanceOf(Date);
    expect((out as Date).getTime()).toBe(1_700_000_000_123);
  });

  it('keeps Map apart from plain objects, with any keys', () => {
    const out = roundTrip({ m: new Map<unknown, unknown>([['a', 1], [2, { k: 'v' }], [true, [1]]]), o: { a: 1 } }) as Record<string, unknown>;
    expect(out.m).toBeInstanceOf(Map);
    expect([...(out.m as Map<unknown, unknown>)]).toEqual([['a', 1], [2, { k: 'v' }], [true, [1]]]);
    expect(out.o).not.toBeInstanceOf(Map);
    expect(Object.getPrototypeOf(out.o)).toBe(Object.prototype);
    expect(out.o).toEqual({ a: 1 });
  });

  it('keeps Set', () => {
    const out = roundTrip(new Set([1, 'x', 2n]));
    expect(out).toBeInstanceOf(Set);
    expect([...(out as Set<unknown>)]).toEqual([1, 'x', 2n]);
  });

  it('keeps Buffer as Buffer and Uint8Array as Uint8Array, copied out of the frame', () => {
    const out = roundTrip([Buffer.from([1, 2, 3]), new Uint8Array([4, 5])]) as unknown[];
    expect(Buffer.isBuffer(out[0])).toBe(true);
    expect([...(out[0] as Buffer)]).toEqual([1, 2, 3]);
    expect(Buffer.isBuffer(out[1])).toBe(false);
    expect(out[1]).toBeInstanceOf(Uint8Array);
    expect([...(out[1] as Uint8Array)]).toEqual([4, 5]);
  });

  it('decodes Buffers that share nothing with the chunk the frame was read from', () => {
    const frame = codec.encode([Buffer.from([1, 2, 3])]);
    const chunk = Buffer.concat([Buffer.alloc(60_000), frame, Buffer.alloc(60_000)]);
    const body = chunk.subarray(60_000 + HEADER_BYTES, 60_000 + frame.length);
    const out = (codec.decode(body) as Buffer[])[0]!;
    chunk.fill(9);
    expect([...out]).toEqual([1, 2, 3]);
    expect(out.buffer).not.toBe(chunk.buffer);
    // A small frame's copy is in Node's 8 KiB Buffer pool, not in a buffer the size of the chunk.
    expect(out.buffer.byteLength).toBeLessThanOrEqual(Buffer.poolSize);
  });

  it('keeps BigInt of any size and sign, and numbers as numbers', () => {
    const values = [0n, 5n, -5n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n + 1n, -(2n ** 200n) + 3n];
    expect(roundTrip(values)).toEqual(values);
    expect(roundTrip([1, 2 ** 40, -1.5, Number.MAX_SAFE_INTEGER])).toEqual([1, 2 ** 40, -1.5, Number.MAX_SAFE_INTEGER]);
  });

  it('keeps undefined and null apart in arrays', () => {
    expect(roundTrip([undefined, null])).toEqual([undefined, null]);
  });

  it('refuses too large frames with FRAME_TOO_LARGE and keeps working', () => {
    const small = new FrameCodec(64, 32);
    expect(() => small.encode([Buffer.alloc(100)])).toThrow(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
    expect(small.encode(['ok']).length).toBeGreaterThan(HEADER_BYTES);
  });

  it('turns values it cannot encode into SERIALIZATION and keeps working', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let thrown: unknown;
    try {
      codec.encode([circular]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(RpcError);
    expect((thrown as RpcError).code).toBe('SERIALIZATION');
    expect(roundTrip({ after: 'failure' })).toEqual({ after: 'failure' });
  });

  it('does not let a __proto__ key change a decoded prototype', () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    const out = roundTrip(evil) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('throws on a truncated message', () => {
    expect(() => codec.decode(Buffer.from([0x92, 0x01]))).toThrow();
  });
});
