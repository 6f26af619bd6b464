/**
 * The requests `npm run bench -- rpc-decode` sends, written byte by byte (msgpack, as the tcp
 * wire carries them), so a case is exactly the frame a hostile consumer would send.
 */

/** What the provider child reports after a request was answered. */
export interface ProviderReport {
  /** heap used + external after two full GCs, minus the same at start: what the call left behind. */
  readonly retainedGrowth: number;
  /** Peak resident set size (getrusage maxrss) minus the RSS at start: the transient cost. */
  readonly peakRssGrowth: number;
  /** Longest event-loop block seen, ms. */
  readonly maxBlockMs: number;
}

export interface DecodeCase {
  readonly name: string;
  /** The msgpack of the request's argument list. */
  readonly args: Buffer;
}

const PREFACE = Buffer.concat([Buffer.from('PDKRPC', 'latin1'), Buffer.from([0, 1])]);

function str(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length > 31) throw new Error(`fixstr only: ${s}`);
  return Buffer.concat([Buffer.from([0xa0 | bytes.length]), bytes]);
}

function array32(count: number): Buffer {
  const b = Buffer.from([0xdd, 0, 0, 0, 0]);
  b.writeUInt32BE(count, 1);
  return b;
}

/** args = [an array of `count` copies of `item`, which holds `values` msgpack values]. */
function oneArrayOf(count: number, item: Buffer, values = 1): Buffer {
  return Buffer.concat([Buffer.from([0x91]), array32(count * values), Buffer.alloc(count * item.length).fill(item)]);
}

/**
 * args = [an array of objects], each record definition (msgpackr's "r" extension) with a key of
 * its own and read four times, so msgpackr compiles a reader for each.
 */
function recordCompiles(count: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x91]), array32(count * 4)];
  for (let i = 0; i < count; i++) {
    parts.push(Buffer.from([0xd4, 0x72, 0x40, 0x91]), str(`k${i.toString(36)}`), Buffer.from([0xc0]));
    parts.push(Buffer.from([0x40, 0xc0, 0x40, 0xc0, 0x40, 0xc0]));
  }
  return Buffer.concat(parts);
}

/** args = [an array of `count` objects { id, name }], as our encoder writes them: one definition, then references. */
function plainRecords(count: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x91]), array32(count)];
  for (let i = 0; i < count; i++) {
    const id = Buffer.from([0xce, 0, 0, 0, 0]);
    id.writeUInt32BE(i, 1);
    parts.push(i === 0 ? Buffer.concat([Buffer.from([0xd4, 0x72, 0x40, 0x92]), str('id'), str('name')]) : Buffer.from([0x40]), id, str(`user-${i}`));
  }
  return Buffer.concat(parts);
}

const MiB = 1024 * 1024;

export const DECODE_CASES: readonly DecodeCase[] = [
  { name: '1 MiB of empty maps', args: oneArrayOf(MiB, Buffer.from([0x80])) },
  { name: '1 MiB of empty arrays', args: oneArrayOf(MiB, Buffer.from([0x90])) },
  // Estimated at 28.5 bytes a byte: the dearest body the default bound (32) lets through.
  { name: 'empty maps, each beside a 9-byte string', args: oneArrayOf(Math.floor(MiB / 11), Buffer.concat([Buffer.from([0x80]), str('abcdefghi')]), 2) },
  { name: 'records, a reader compiled per 16 bytes', args: recordCompiles(MiB / 16) },
  { name: '1M arguments', args: Buffer.concat([array32(MiB), Buffer.alloc(MiB, 0x01)]) },
  { name: '1 MiB of plain { id, name } objects', args: plainRecords(Math.floor(MiB / 16)) },
];

/** The preface and one REQUEST frame calling Sink.take with `args`. */
export function requestBytes(id: number, args: Buffer, deadline: number): Buffer {
  const idBytes = Buffer.from([0xce, 0, 0, 0, 0]);
  idBytes.writeUInt32BE(id, 1);
  const deadlineBytes = Buffer.alloc(9);
  deadlineBytes[0] = 0xcb;
  deadlineBytes.writeDoubleBE(deadline, 1);
  const body = Buffer.concat([
    Buffer.from([0x99, 0x00]), idBytes, str('Sink'), str('*'), str('default'), str('take'), args, Buffer.from([0xc0]), deadlineBytes,
  ]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  return Buffer.concat([PREFACE, length, body]);
}
