import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameCodec, HEADER_BYTES } from './frame-codec.js';
import { DECODE_ALLOWANCE, DECODE_COST, FrameRefused, MAX_COST_PER_BYTE, MAX_NESTING, decodeRefusal, estimateDecodeCost } from './decode-cost.js';

const SEED = Number(process.env.RPC_FUZZ_SEED ?? 20240229);
const codec = new FrameCodec(64 * 1024 * 1024, 32);
const MiB = 1024 * 1024;

/** A value as our encoder writes it (the frame's body). */
function encoded(value: unknown): Buffer {
  return codec.encode([value]).subarray(HEADER_BYTES);
}

function array32(count: number, items: Buffer): Buffer {
  const head = Buffer.from([0xdd, 0, 0, 0, 0]);
  head.writeUInt32BE(count, 1);
  return Buffer.concat([head, items]);
}

function repeat(count: number, item: readonly number[]): Buffer {
  return Buffer.alloc(count * item.length).fill(Buffer.from(item));
}

/** `count` record definitions, each of its own key, each read four times (so msgpackr compiles a reader for each). */
function compiledRecords(count: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const key = Buffer.from(`k${i.toString(36)}`);
    parts.push(Buffer.from([0xd4, 0x72, 0x40, 0x91, 0xa0 | key.length]), key, Buffer.from([0xc0, 0x40, 0xc0, 0x40, 0xc0, 0x40, 0xc0]));
  }
  return array32(count * 4, Buffer.concat(parts));
}

/** Values of every kind the codec carries, objects of many shapes (more than msgpackr's 64 record slots) included. */
const richValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.anything({ maxDepth: 3 }),
    fc.date({ noInvalidDate: true }),
    fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    fc.float64Array({ maxLength: 5 }),
    fc.constantFrom(new Error('boom'), new TypeError('bad'), /a+b/g, undefined),
    fc.array(tie('value'), { maxLength: 5 }).map((items) => new Set(items)),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 5 }).map((entries) => new Map(entries)),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
    fc.array(tie('value'), { maxLength: 8 }),
  ),
})).value;

describe('estimateDecodeCost', () => {
  it('charges each kind of value from the DECODE_COST table', () => {
    const C = DECODE_COST;
    expect(estimateDecodeCost(encoded(new Map()), Infinity)).toBe(C.value + C.array + C.value + C.map);
    expect(estimateDecodeCost(encoded([]), Infinity)).toBe(2 * (C.value + C.array));
    expect(estimateDecodeCost(encoded('ab'), Infinity)).toBe(C.value + C.array + C.value + C.string + 4);
    expect(estimateDecodeCost(encoded(new Map([[1, 2]])), Infinity)).toBe(C.value + C.array + C.value + C.map + 2 * (C.value + C.mapEntry / 2));
    // A record: its definition (keys ['a'], the first object), then a second object that reuses it.
    const definition = C.recordDefinition + C.array + (C.value + C.string + 2) + C.record + C.value;
    const twoObjects = C.value + C.array + C.value + definition + C.value + C.record + C.value;
    expect(estimateDecodeCost(encoded([{ a: 1 }, { a: 2 }]), Infinity)).toBe(C.value + C.array + twoObjects);
  });

  it('takes everything our encoder writes, however many record shapes (property, seeded)', () => {
    fc.assert(
      fc.property(fc.array(richValue, { maxLength: 20 }), fc.integer({ min: 0, max: 200 }), (values, shapes) => {
        // More shapes than record slots: the encoder redefines slots within one message.
        const objects = Array.from({ length: shapes }, (_, i) => ({ [`key${i}`]: i, [`other${i % 7}`]: values[0] ?? null }));
        const body = encoded([values, objects, objects]);
        const cost = estimateDecodeCost(body, Infinity);
        expect(typeof cost, String(cost)).toBe('number');
        expect(cost as number).toBeLessThanOrEqual(MAX_COST_PER_BYTE * body.length);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('never throws and never charges more than MAX_COST_PER_BYTE a byte, whatever the bytes (property, seeded)', () => {
    const token = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0x90, 0x40, 0x41, 0xd4, 0x72, 0x73, 0x65, 0x74, 0xc1, 0xdc, 0xdd, 0xde, 0xdf));
    fc.assert(
      fc.property(fc.array(token, { maxLength: 400 }), (bytes) => {
        const body = Buffer.from(bytes);
        const cost = estimateDecodeCost(body, Infinity);
        if (typeof cost === 'number') expect(cost).toBeLessThanOrEqual(MAX_COST_PER_BYTE * body.length);
        else expect(cost.length).toBeGreaterThan(0);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('charges the dearest shapes less than MAX_COST_PER_BYTE a byte: compiled records, Errors, Maps, inside a Set', () => {
    const inSet = (items: Buffer, count: number): Buffer => Buffer.concat([Buffer.from([0xd4, 0x73, 0x00]), array32(count, items)]);
    const shapes: [string, Buffer][] = [
      ['compiled records', compiledRecords(1000)],
      ['compiled records in a Set', Buffer.concat([Buffer.from([0xd4, 0x73, 0x00]), compiledRecords(1000)])],
      ['empty maps in a Set', inSet(repeat(1000, [0x80]), 1000)],
      ['empty Errors in a Set', inSet(repeat(1000, [0xd4, 0x65, 0x00, 0x90]), 1000)],
      ['record definitions with no keys', array32(1000, repeat(1000, [0xd4, 0x72, 0x40, 0x90]))],
    ];
    for (const [name, body] of shapes) {
      const cost = estimateDecodeCost(body, Infinity);
      expect(typeof cost, `${name}: ${String(cost)}`).toBe('number');
      expect((cost as number) / body.length, name).toBeLessThanOrEqual(MAX_COST_PER_BYTE);
    }
  });

  it('stops as soon as the estimate passes the limit', () => {
    const maps = array32(MiB, repeat(MiB, [0x80]));
    expect(estimateDecodeCost(maps, 32 * maps.length)).toBe(`it would decode into more than ${32 * maps.length} bytes (an estimate made before decoding)`);
  });

  it.each([
    ['nesting deeper than MAX_NESTING', Buffer.concat([repeat(MAX_NESTING + 1, [0x91]), Buffer.from([0xc0])]), `it nests deeper than ${MAX_NESTING} levels`],
    ['a truncated array', Buffer.from([0x93, 0x01]), 'it ends inside a value (2 bytes)'],
    ['a string longer than the frame', Buffer.from([0xd9, 0x20, 0x61]), 'it ends inside a value (3 bytes)'],
    ['bytes after the message', Buffer.from([0x01, 0x02]), '1 bytes follow the message'],
    ['0xc1', Buffer.from([0x91, 0xc1]), 'byte 0xc1 is not msgpack'],
    ['an unknown extension', Buffer.from([0xd4, 0x07, 0x00]), 'msgpack extension type 7 is not one this transport sends'],
    ['structured clone references', Buffer.from([0xd6, 0x70, 0, 0, 0, 1]), 'msgpack extension type 112 is not one this transport sends'],
    ['a two-byte record definition', Buffer.from([0xd5, 0x72, 0x60, 0x01, 0x90]), 'a record definition other than fixext 1 (our encoder writes no other)'],
    ['record keys that are not strings', Buffer.from([0xd4, 0x72, 0x40, 0x91, 0x80, 0xc0]), 'a record definition\'s keys must be strings'],
    ['record keys that are not a list', Buffer.from([0xd4, 0x72, 0x40, 0xa1, 0x61, 0xc0]), 'a record definition\'s keys must be an array'],
    ['a Set of a string', Buffer.from([0xd4, 0x73, 0x00, 0xa3, 0x61, 0x62, 0x63]), 'a Set, Error or RegExp extension must be followed by an array'],
  ])('refuses %s', (_, body, why) => {
    expect(estimateDecodeCost(body, Infinity)).toBe(why);
  });
});

describe('decodeRefusal', () => {
  it('refuses 1 MiB of empty maps, of empty arrays and of compiled records at the default ratio (32)', () => {
    for (const body of [array32(MiB, repeat(MiB, [0x80])), array32(MiB, repeat(MiB, [0x90])), compiledRecords(MiB / 16)]) {
      expect(decodeRefusal(body, 32)).toMatch(new RegExp(`^${body.length} bytes: it would decode into more than ${32 * body.length} bytes`));
    }
  });

  it('passes 1 MiB of plain objects, and any frame whose estimate is under DECODE_ALLOWANCE', () => {
    const users = Array.from({ length: 40_000 }, (_, i) => ({ id: i, name: `user-${i}`, tags: ['a', 'b'], joined: new Date(i) }));
    const body = encoded(users);
    expect(body.length).toBeGreaterThan(MiB);
    expect(decodeRefusal(body, 32)).toBeNull();
    // 3,000 empty maps cost ~800 KB: over 32 times their bytes, under the allowance.
    const maps = array32(3000, repeat(3000, [0x80]));
    expect(estimateDecodeCost(maps, Infinity)).toBeLessThan(DECODE_ALLOWANCE);
    expect(decodeRefusal(maps, 32)).toBeNull();
    expect(decodeRefusal(array32(5000, repeat(5000, [0x80])), 32)).toMatch(/would decode into more than 1048576 bytes/);
  });

  it('does not scan a frame too short to pass the allowance, whatever it holds', () => {
    const short = Math.floor(DECODE_ALLOWANCE / MAX_COST_PER_BYTE);
    expect(decodeRefusal(Buffer.alloc(short, 0xc1), 1)).toBeNull();
    expect(decodeRefusal(Buffer.alloc(short + 1, 0xc1), 1)).toBe(`${short + 1} bytes: byte 0xc1 is not msgpack`);
  });
});

describe('FrameCodec.decode', () => {
  it('throws FrameRefused before decoding a frame over its bound, and decodes it under a larger one', () => {
    const body = array32(MiB, repeat(MiB, [0x80]));
    expect(() => codec.decode(body)).toThrow(FrameRefused);
    const decoded = new FrameCodec(64 * MiB, 300).decode(body) as Map<unknown, unknown>[];
    expect(decoded).toHaveLength(MiB);
    expect(decoded[0]).toBeInstanceOf(Map);
  });
});
