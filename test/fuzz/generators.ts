import fc from 'fast-check';
import {
  CreateMode, JuteWriter, OpCode, encodeMultiRequest, pathError, type RecordName, type RecordType,
} from '@paddock/coord-protocol';
import { FUZZ_ROOT } from './invariants.js';
import { connectFrame, encode, rawUstring, requestFrame } from './wire.js';

/** What a garbage request is, so the test knows which answers ZooKeeper would give. */
type GarbageKind = 'unknown-op' | 'random-body' | 'truncated' | 'trailing-junk' | 'bad-path' | 'valid';

export interface Garbage {
  readonly kind: GarbageKind;
  readonly type: number;
  readonly body: Buffer;
  /** True for ops that change the tree (a bad path there must never succeed). */
  readonly write: boolean;
}

const OPEN_ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const TARGET = `${FUZZ_ROOT}/g`;

/** A request body whose first field is the path, given as raw bytes (possibly not UTF-8). */
function withPath<N extends RecordName>(name: N, value: RecordType<N>, path: Buffer): Buffer {
  // Every path-bearing request starts with the path: encode with '' and swap its 4-byte length.
  return Buffer.concat([rawUstring(path), encode(name, value).subarray(4)]);
}

interface Template {
  readonly type: number;
  readonly write: boolean;
  body(path: Buffer): Buffer;
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

const multiHeader = (type: number): Buffer => encode('MultiHeader', { type, done: false, err: -1 });

/** create + setData + delete in one multi, the fuzzed path in the first and last op. */
function multiBody(path: Buffer): Buffer {
  return Buffer.concat([
    multiHeader(OpCode.create), withPath('CreateRequest', { path: '', data: utf8('m'), acl: OPEN_ACL, flags: 0 }, path),
    multiHeader(OpCode.setData), encode('SetDataRequest', { path: TARGET, data: utf8('x'), version: -1 }),
    multiHeader(OpCode.delete), withPath('DeleteRequest', { path: '', version: -1 }, path),
    encode('MultiHeader', { type: -1, done: true, err: -1 }),
  ]);
}

/** setWatches with the path as its one child watch (relativeZxid, data, exist: empty). */
function setWatchesBody(path: Buffer): Buffer {
  const empty = encode('SetWatches', { relativeZxid: 0, dataWatches: [], existWatches: [], childWatches: [] });
  const one = Buffer.alloc(4);
  one.writeInt32BE(1, 0);
  return Buffer.concat([empty.subarray(0, empty.length - 4), one, rawUstring(path)]);
}

/** One row per op a client may send, with a well-formed body for a given path. */
const TEMPLATES: readonly Template[] = [
  { type: OpCode.create, write: true, body: (p) => withPath('CreateRequest', { path: '', data: utf8('g'), acl: OPEN_ACL, flags: CreateMode.PERSISTENT }, p) },
  { type: OpCode.create2, write: true, body: (p) => withPath('CreateRequest', { path: '', data: null, acl: OPEN_ACL, flags: CreateMode.EPHEMERAL }, p) },
  { type: OpCode.createContainer, write: true, body: (p) => withPath('CreateRequest', { path: '', data: null, acl: OPEN_ACL, flags: CreateMode.CONTAINER }, p) },
  { type: OpCode.createTTL, write: true, body: (p) => withPath('CreateTTLRequest', { path: '', data: null, acl: OPEN_ACL, flags: CreateMode.PERSISTENT_WITH_TTL, ttl: 60_000 }, p) },
  { type: OpCode.delete, write: true, body: (p) => withPath('DeleteRequest', { path: '', version: -1 }, p) },
  { type: OpCode.setData, write: true, body: (p) => withPath('SetDataRequest', { path: '', data: utf8('s'), version: -1 }, p) },
  { type: OpCode.setACL, write: true, body: (p) => withPath('SetACLRequest', { path: '', acl: OPEN_ACL, version: -1 }, p) },
  { type: OpCode.multi, write: true, body: multiBody },
  { type: OpCode.exists, write: false, body: (p) => withPath('ExistsRequest', { path: '', watch: true }, p) },
  { type: OpCode.getData, write: false, body: (p) => withPath('GetDataRequest', { path: '', watch: false }, p) },
  { type: OpCode.getACL, write: false, body: (p) => withPath('GetACLRequest', { path: '' }, p) },
  { type: OpCode.getChildren, write: false, body: (p) => withPath('GetChildrenRequest', { path: '', watch: true }, p) },
  { type: OpCode.getChildren2, write: false, body: (p) => withPath('GetChildren2Request', { path: '', watch: false }, p) },
  { type: OpCode.sync, write: false, body: (p) => withPath('SyncRequest', { path: '' }, p) },
  { type: OpCode.addWatch, write: false, body: (p) => withPath('AddWatchRequest', { path: '', mode: 1 }, p) },
  { type: OpCode.checkWatches, write: false, body: (p) => withPath('CheckWatchesRequest', { path: '', type: 3 }, p) },
  { type: OpCode.removeWatches, write: false, body: (p) => withPath('RemoveWatchesRequest', { path: '', type: 3 }, p) },
  { type: OpCode.getEphemerals, write: false, body: (p) => withPath('GetEphemeralsRequest', { prefixPath: '' }, p) },
  { type: OpCode.getAllChildrenNumber, write: false, body: (p) => withPath('GetAllChildrenNumberRequest', { path: '' }, p) },
  { type: OpCode.setWatches, write: false, body: setWatchesBody },
];

/**
 * Every op code ZooKeeper 3.8 has a name for; any other code is answered with Unimplemented.
 * (Those outside TEMPLATES — ping, closeSession, whoAmI, auth, sasl, reconfig, createSession,
 * multiRead, check, setWatches2 — only ever get random bodies here.)
 */
const NAMED_OPS: ReadonlySet<number> = new Set([
  ...Object.values(OpCode).filter((c) => c !== OpCode.error), 16, 102, -10,
]);

/** Paths ZooKeeper refuses, as raw bytes; some are not even UTF-8. */
const BAD_PATH_CONSTANTS: readonly Buffer[] = [
  '', 'relative', `${FUZZ_ROOT}/`, `${FUZZ_ROOT}//x`, `${FUZZ_ROOT}/../x`, `${FUZZ_ROOT}/./x`, `${FUZZ_ROOT}/..`,
  `${FUZZ_ROOT}/.`, '//', `${FUZZ_ROOT}/x\u0000y`, `${FUZZ_ROOT}/\u0001`, `${FUZZ_ROOT}/\u007f`, `${FUZZ_ROOT}/\u009f`,
  `${FUZZ_ROOT}/\uffff`, `${FUZZ_ROOT}/\ufff0x`, `${FUZZ_ROOT}/\ue000`, `${FUZZ_ROOT}/a/b/`,
].map(utf8).concat([
  Buffer.concat([utf8(`${FUZZ_ROOT}/`), Buffer.from([0xff, 0xfe])]), // not UTF-8 at all
  Buffer.concat([utf8(`${FUZZ_ROOT}/`), Buffer.from([0xed, 0xa0, 0x80])]), // an encoded lone surrogate
  Buffer.concat([utf8(`${FUZZ_ROOT}/`), Buffer.from([0xc0, 0xaf])]), // overlong '/'
]);

const FORBIDDEN = ['\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u009f', '\ud800', '\udfff', '\ue000', '\uf8ff', '\ufff0', '\ufffe', '\uffff'];

const badPath: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom(...BAD_PATH_CONSTANTS),
  fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...FORBIDDEN), fc.string({ maxLength: 6 }))
    .map(([a, bad, b]) => `${FUZZ_ROOT}/${a}${bad}${b}`.replaceAll('//', '/_')),
  fc.tuple(fc.constantFrom('/.', '/..', '//'), fc.string({ minLength: 1, maxLength: 6 }))
    .map(([bad, tail]) => `${FUZZ_ROOT}${bad}/${tail}`),
  fc.string({ minLength: 1, maxLength: 6 }).map((name) => `${FUZZ_ROOT}/${name}/`),
).map((p) => (typeof p === 'string' ? utf8(p) : p))
  // Only paths ZooKeeper's PathUtils rejects (as the server will see them, after UTF-8 decoding).
  .filter((p) => pathError(p.toString('utf8')) !== null);

const junk = (min: number, max: number): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));

const template = fc.constantFrom(...TEMPLATES);
// Never FUZZ_ROOT itself: a well-formed delete would remove the bystander's sandbox.
const goodPath = fc.constantFrom(TARGET, `${TARGET}/k`, `${FUZZ_ROOT}/h`, '/').map(utf8);

export const garbageRequest: fc.Arbitrary<Garbage> = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).filter((t) => !NAMED_OPS.has(t)).chain((type) =>
    junk(0, 64).map((body): Garbage => ({ kind: 'unknown-op', type, body, write: false }))),
  fc.tuple(fc.constantFrom(...NAMED_OPS), junk(0, 128))
    .map(([type, body]): Garbage => ({ kind: 'random-body', type, body, write: false })),
  fc.tuple(template, goodPath, fc.nat()).map(([t, p, n]): Garbage => {
    const full = t.body(p);
    return { kind: 'truncated', type: t.type, body: full.subarray(0, n % full.length), write: t.write };
  }),
  fc.tuple(template, goodPath, junk(1, 32))
    .map(([t, p, j]): Garbage => ({ kind: 'trailing-junk', type: t.type, body: Buffer.concat([t.body(p), j]), write: t.write })),
  fc.tuple(template, badPath).map(([t, p]): Garbage => ({ kind: 'bad-path', type: t.type, body: t.body(p), write: t.write })),
  fc.tuple(template, goodPath).map(([t, p]): Garbage => ({ kind: 'valid', type: t.type, body: t.body(p), write: t.write })),
);

/**
 * A well-formed conversation whose replies are the same on every run: it cleans up after itself
 * and ends with closeSession, so the server closes the connection.
 */
export function validConversation(tag: string): { bytes: Buffer; xids: number[] } {
  const path = `${FUZZ_ROOT}/${tag}`;
  const w = new JuteWriter();
  encodeMultiRequest(w, [
    { type: OpCode.check, body: { path, version: 1 } },
    { type: OpCode.delete, body: { path, version: -1 } },
  ]);
  const requests: [number, Buffer][] = [
    [OpCode.create, encode('CreateRequest', { path, data: utf8('split'), acl: OPEN_ACL, flags: CreateMode.EPHEMERAL })],
    [OpCode.getData, encode('GetDataRequest', { path: '/bystander', watch: false })],
    [OpCode.setData, encode('SetDataRequest', { path, data: utf8('again'), version: 0 })],
    [OpCode.multi, w.take()],
    [OpCode.getChildren2, encode('GetChildren2Request', { path: FUZZ_ROOT, watch: false })],
    [OpCode.sync, encode('SyncRequest', { path: '/' })],
    [OpCode.closeSession, Buffer.alloc(0)],
  ];
  const xids = requests.map((_, i) => i + 1);
  return {
    bytes: Buffer.concat([connectFrame(4_000), ...requests.map(([type, body], i) => requestFrame(i + 1, type, body))]),
    xids,
  };
}
