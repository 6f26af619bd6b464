/**
 * What decoding a frame will cost, worked out from its bytes before msgpackr allocates anything.
 *
 * msgpackr turns a 1-byte empty map into a Map of ~200 bytes, and compiles a reader (~80 µs)
 * for every record definition read four times, so a frame can cost hundreds of times its size
 * and block the event loop for seconds. One pass over the bytes, allocating nothing, charges
 * every value what it will cost decoded (DECODE_COST) and stops as soon as the total passes the
 * frame's bound: maxDecodeRatio × its size, but never less than DECODE_ALLOWANCE. The same pass
 * refuses what our encoder never writes (msgpackr would decode some of it into something else)
 * and nesting deeper than MAX_NESTING.
 */

/**
 * What each kind of value costs once decoded, in bytes: V8 on x64, measured with
 * `npm run bench -- rpc-decode` and the codec tests, rounded up; what costs CPU rather than
 * memory (an Error's stack, a compiled reader) is charged ~1 byte per 2 ns.
 */
export const DECODE_COST = {
  /** Every value: its slot in the array, map or object that holds it. */
  value: 8,
  /** A float, or an integer of more than 16 bits (a heap number). */
  number: 16,
  /** A 64-bit integer, decoded as a BigInt. */
  int64: 32,
  /** A string; plus 2 per byte, since V8 may hold it as UTF-16. */
  string: 24,
  /** A Buffer: a view of the frame's copy, no bytes of its own. */
  binary: 128,
  array: 48,
  /** An object (our encoder writes objects as msgpackr records). */
  record: 64,
  /** A record definition: its key list (charged as an array of strings besides) and msgpackr's reader. */
  recordDefinition: 512,
  /** The reader msgpackr compiles with `new Function` when a definition is read the 4th time. */
  recordCompile: 16_384,
  /** A Map; each entry costs mapEntry more besides its key and value. */
  map: 256,
  mapEntry: 24,
  /** A Set, built from the array that follows; each item costs setEntry more. */
  set: 256,
  setEntry: 24,
  date: 128,
  /** An Error: capturing its stack takes ~10 µs. */
  error: 4096,
  regExp: 256,
  /** A typed array; plus its bytes, which are copied. */
  typedArray: 256,
  /** A BigInt of more than 64 bits; plus 8 per byte (msgpackr builds it by shifts). */
  bigInt: 32,
} as const;

/** Any frame may decode into this much, however small it is (a request with a few Maps is fine). */
export const DECODE_ALLOWANCE = 1024 * 1024;
/** Deeper nesting is refused: msgpackr decodes and encodes recursively (~3,000 levels overflow the stack). */
export const MAX_NESTING = 512;
/** msgpackr compiles a record's reader when the definition is read this many times. */
const COMPILED_AT = 4;
/**
 * No byte costs more than this in the table: the dearest is a record definition (4 bytes at
 * least) read three more times (1 byte each), which buys a compile: ~17,300 / 7 bytes. A Map
 * costs 288 a byte, an Error 1,052 (4 bytes).
 */
export const MAX_COST_PER_BYTE = 2560;

/** Thrown by FrameCodec.decode for a frame refused before decoding; the message says why. */
export class FrameRefused extends Error {
  override readonly name = 'FrameRefused';
}

/** The bound on one frame's decoded cost. */
function decodeLimit(bytes: number, maxDecodeRatio: number): number {
  return Math.max(DECODE_ALLOWANCE, bytes * maxDecodeRatio);
}

/** Why a frame body may not be decoded under `maxDecodeRatio`, or null when it may. */
export function decodeRefusal(body: Uint8Array, maxDecodeRatio: number): string | null {
  // Whatever a frame this short holds, it cannot cost more than the allowance: not scanned, so
  // small calls pay nothing for the bound (and cannot nest MAX_NESTING deep either).
  if (body.length * MAX_COST_PER_BYTE <= DECODE_ALLOWANCE) return null;
  const limit = decodeLimit(body.length, maxDecodeRatio);
  const cost = estimateDecodeCost(body, limit);
  if (typeof cost === 'string') return `${body.length} bytes: ${cost}`;
  return null;
}

const C = DECODE_COST;
const NOTHING = new Uint8Array(0);

/**
 * One pass over a frame's bytes. A single instance serves every frame (the scan is synchronous
 * and never re-entered), so its stacks are allocated once.
 */
class CostScan {
  /** Values still to read at each open container level. */
  private readonly left = new Float64Array(MAX_NESTING + 1);
  /** What each value read at a level costs besides itself (a Map's share of an entry, a Set's entry). */
  private readonly extra = new Float64Array(MAX_NESTING + 1);
  /** Key count of each record slot defined so far in this frame (-1: none), and its reads. */
  private readonly recordKeys = new Float64Array(64);
  private readonly recordReads = new Uint32Array(64);
  private b: Uint8Array = NOTHING;
  private end = 0;
  private pos = 0;
  private cost = 0;
  private records = false;
  /** Set by an extension that builds a Set: the array that follows charges a Set entry per item. */
  private setItems = 0;
  /** Values the token just read opens (a container's), or -1; and what each of them costs more. */
  private items = -1;
  private itemExtra = 0;

  run(b: Uint8Array, limit: number): number | string {
    this.b = b;
    this.end = b.length;
    this.pos = 0;
    this.cost = 0;
    this.records = false;
    this.setItems = 0;
    try {
      return this.values(limit);
    } finally {
      this.b = NOTHING; // keep no frame alive
    }
  }

  /**
   * The loop. The tokens of one byte (small ints, short strings, arrays and maps, record
   * references) are handled here on locals; the others go to `sized` with pos and cost in fields.
   */
  private values(limit: number): number | string {
    const { b, end, left, extra, recordKeys, recordReads } = this;
    let pos = 0;
    let cost = 0;
    let depth = 1;
    left[0] = 1;
    extra[0] = 0;
    while (depth > 0) {
      const top = depth - 1;
      if (left[top] === 0) {
        depth--;
        continue;
      }
      left[top]--;
      if (pos >= end) return truncated(end);
      const t = b[pos++];
      cost += C.value + extra[top];
      let items = -1;
      let itemExtra = 0;
      if (t < 0x40 || t >= 0xe0) {
        // a small integer
      } else if (t < 0x80) {
        // 0x40-0x7f read a record when its slot is defined, else they are small integers.
        const slot = t & 0x3f;
        if (this.records && recordKeys[slot] >= 0) {
          cost += C.record;
          if (++recordReads[slot] === COMPILED_AT) cost += C.recordCompile;
          items = recordKeys[slot];
        }
      } else if (t < 0x90) {
        cost += C.map;
        items = (t & 0x0f) * 2;
        itemExtra = C.mapEntry / 2;
      } else if (t < 0xa0) {
        cost += C.array;
        items = t & 0x0f;
      } else if (t < 0xc0) {
        const n = t & 0x1f;
        if (n > end - pos) return truncated(end);
        pos += n;
        cost += C.string + 2 * n;
      } else if (KIND_OF[t - 0xc0] <= INT64 && FIELD_BYTES[t - 0xc0] >= 0) {
        // nil, booleans and numbers: a value of fixed size, nothing to open
        const size = FIELD_BYTES[t - 0xc0];
        if (size > end - pos) return truncated(end);
        pos += size;
        cost += SCALAR_COST[KIND_OF[t - 0xc0]];
      } else {
        this.pos = pos;
        this.cost = cost;
        this.items = -1;
        this.itemExtra = 0;
        const refused = this.sized(t, top);
        if (refused !== null) return refused;
        ({ pos, cost, items, itemExtra } = this);
      }
      if (cost > limit) return `it would decode into more than ${limit} bytes (an estimate made before decoding)`;
      if (items >= 0) {
        if (depth > MAX_NESTING) return `it nests deeper than ${MAX_NESTING} levels`;
        left[depth] = items;
        extra[depth] = itemExtra + this.setItems;
        this.setItems = 0;
        depth++;
      }
    }
    if (pos !== end) return `${end - pos} bytes follow the message`;
    return cost;
  }

  /** Tokens 0xc0-0xdf (pos is after the token): a length (or value) field, then what it announces. */
  private sized(t: number, top: number): string | null {
    const size = FIELD_BYTES[t - 0xc0];
    if (size < 0) return 'byte 0xc1 is not msgpack';
    if (size > this.end - this.pos) return truncated(this.end);
    const n = readField(this.b, this.pos, size);
    this.pos += size;
    switch (KIND_OF[t - 0xc0]) {
      case BINARY: return this.skip(n, C.binary);
      case STRING: return this.skip(n, C.string + 2 * n);
      case ARRAY:
        this.cost += C.array;
        this.items = n;
        return null;
      case MAP:
        this.map(n);
        return null;
      case EXT: return this.extension(t >= 0xd4 ? FIXEXT_BYTES[t - 0xd4] : n, t === 0xd4, top);
      default: return null;
    }
  }

  private map(entries: number): void {
    this.cost += C.map;
    this.items = entries * 2;
    this.itemExtra = C.mapEntry / 2;
  }

  private skip(bytes: number, cost: number): string | null {
    if (bytes > this.end - this.pos) return truncated(this.end);
    this.pos += bytes;
    this.cost += cost;
    return null;
  }

  /** An extension: its type byte, then `bytes` data bytes. */
  private extension(bytes: number, fixext1: boolean, top: number): string | null {
    if (bytes + 1 > this.end - this.pos) return truncated(this.end);
    const type = this.b[this.pos];
    this.pos += 1 + bytes;
    if (type === RECORD_TYPE) return fixext1 ? this.recordDefinition(this.b[this.pos - 1] & 0x3f) : 'a record definition other than fixext 1 (our encoder writes no other)';
    const ext = extensionCost(type, bytes);
    if (ext < 0) return `msgpack extension type ${type} is not one this transport sends`;
    this.cost += ext;
    if (type === SET_TYPE || type === ERROR_TYPE || type === REGEXP_TYPE) {
      // msgpackr reads the value that follows and builds the Set, Error or RegExp from it: our
      // encoder writes an array there, and only an array is taken. It is read as one more value here.
      if (this.lengthOf(ARRAY) < 0) return 'a Set, Error or RegExp extension must be followed by an array';
      this.left[top]++;
      if (type === SET_TYPE) this.setItems = C.setEntry;
    }
    return null;
  }

  /** A record definition of `slot`: its key list (strings), then the first object's values. */
  private recordDefinition(slot: number): string | null {
    const count = this.lengthOf(ARRAY);
    if (count < 0) return count === TRUNCATED ? truncated(this.end) : 'a record definition\'s keys must be an array';
    this.pos = this.headerEnd;
    this.cost += C.recordDefinition + C.array + C.record;
    for (let i = 0; i < count; i++) {
      const n = this.lengthOf(STRING);
      if (n < 0) return n === TRUNCATED ? truncated(this.end) : 'a record definition\'s keys must be strings';
      this.pos = this.headerEnd;
      const refused = this.skip(n, C.value + C.string + 2 * n);
      if (refused !== null) return refused;
    }
    if (!this.records) {
      this.recordKeys.fill(-1);
      this.records = true;
    }
    this.recordKeys[slot] = count;
    this.recordReads[slot] = 1;
    this.items = count;
    return null;
  }

  /** Where the header read by lengthOf ends. */
  private headerEnd = 0;

  /** The length the array or string header at pos states (headerEnd: after it), -1 for another kind of value, or TRUNCATED. */
  private lengthOf(kind: typeof ARRAY | typeof STRING): number {
    const { b, pos } = this;
    if (pos >= this.end) return TRUNCATED;
    const t = b[pos];
    const fix = kind === ARRAY ? 0x90 : 0xa0;
    if (t >= fix && t <= fix + (kind === ARRAY ? 0x0f : 0x1f)) {
      this.headerEnd = pos + 1;
      return t - fix;
    }
    if (t < 0xc0 || t > 0xdf || KIND_OF[t - 0xc0] !== kind) return -1;
    const size = FIELD_BYTES[t - 0xc0];
    if (size > this.end - pos - 1) return TRUNCATED;
    this.headerEnd = pos + 1 + size;
    return readField(b, pos + 1, size);
  }
}

const TRUNCATED = -2;
const scan = new CostScan();

/**
 * The decoded cost of a msgpack value as our codec decodes it, or a string saying why it may
 * not be decoded: over `limit` (the scan stops there), nested too deep, or not what our encoder
 * writes. Time is linear in the bytes; nothing is allocated but the answer.
 */
export function estimateDecodeCost(b: Uint8Array, limit: number): number | string {
  return scan.run(b, limit);
}

function truncated(end: number): string {
  return `it ends inside a value (${end} bytes)`;
}

/** A big-endian length of 1, 2 or 4 bytes (0 for the 8-byte numbers, whose value does not matter here). */
function readField(b: Uint8Array, pos: number, size: number): number {
  if (size === 1) return b[pos];
  if (size === 2) return (b[pos] << 8) | b[pos + 1];
  if (size === 4) return b[pos] * 0x1000000 + ((b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3]);
  return 0;
}

// Tokens 0xc0-0xdf: how many bytes follow the token before the value's own bytes (its length,
// or the number itself; -1: not msgpack), and what kind of value it is.
const SCALAR = 0;
const NUMBER = 1;
const INT64 = 2;
const BINARY = 3;
const STRING = 4;
const ARRAY = 5;
const MAP = 6;
const EXT = 7;
const TOKENS: readonly (readonly [field: number, kind: number])[] = [
  [0, SCALAR], [-1, SCALAR], [0, SCALAR], [0, SCALAR], // c0 nil, c1 never used, c2 false, c3 true
  [1, BINARY], [2, BINARY], [4, BINARY], // c4-c6 bin 8/16/32
  [1, EXT], [2, EXT], [4, EXT], // c7-c9 ext 8/16/32
  [4, NUMBER], [8, NUMBER], // ca float 32, cb float 64
  [1, SCALAR], [2, SCALAR], [4, NUMBER], [8, INT64], // cc-cf uint 8/16/32/64
  [1, SCALAR], [2, SCALAR], [4, NUMBER], [8, INT64], // d0-d3 int 8/16/32/64
  [0, EXT], [0, EXT], [0, EXT], [0, EXT], [0, EXT], // d4-d8 fixext 1/2/4/8/16
  [1, STRING], [2, STRING], [4, STRING], // d9-db str 8/16/32
  [2, ARRAY], [4, ARRAY], // dc, dd array 16/32
  [2, MAP], [4, MAP], // de, df map 16/32
];
const FIELD_BYTES = Int8Array.from(TOKENS, ([field]) => field);
const KIND_OF = Uint8Array.from(TOKENS, ([, kind]) => kind);
/** What a SCALAR, NUMBER and INT64 cost besides their slot. */
const SCALAR_COST = [0, DECODE_COST.number, DECODE_COST.int64];
/** Data bytes of fixext 1, 2, 4, 8, 16. */
const FIXEXT_BYTES = [1, 2, 4, 8, 16];

// msgpackr's extension types (as the codec's options enable them); "r" is its record definition.
const RECORD_TYPE = 0x72;
const UNDEFINED_TYPE = 0x00;
const DATE_TYPE = 0xff;
const SET_TYPE = 0x73;
const ERROR_TYPE = 0x65;
const REGEXP_TYPE = 0x78;
const TYPED_ARRAY_TYPE = 0x74;
const BIGINT_TYPE = 0x42;

/** What an extension value costs besides what it holds, or -1 for a type our encoder never writes. */
function extensionCost(type: number, dataBytes: number): number {
  switch (type) {
    case UNDEFINED_TYPE: return 0;
    case DATE_TYPE: return C.date;
    case SET_TYPE: return C.set;
    case ERROR_TYPE: return C.error;
    case REGEXP_TYPE: return C.regExp;
    case TYPED_ARRAY_TYPE: return C.typedArray + dataBytes;
    case BIGINT_TYPE: return C.bigInt + 8 * dataBytes;
    default: return -1;
  }
}

