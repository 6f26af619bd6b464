import { describe, expect, it } from 'vitest';
import {
  ALL_CODES, Code, JuteError, JuteReader, JuteWriter, KeeperError, MULTI_WRITE_OPS, OpCode, RECORDS,
  codec, decodeMultiRequest, decodeMultiResponse, encodeMultiRequest, encodeMultiResponse,
  errorName, fourLetterWordOf, pathError, sequenceSuffix, parentPath, baseName, joinPath, readAclList, writeAclList,
  type ACL,
} from './index.js';

const stat = {
  czxid: 0x100000002, mzxid: 3, ctime: 1_700_000_000_123, mtime: 1_700_000_000_456, version: 1,
  cversion: -1, aversion: 0, ephemeralOwner: 0x01000000deadbeefn, dataLength: 5, numChildren: 2, pzxid: 4,
};

describe('jute codec', () => {
  it('round-trips every record with zero values and negative longs', () => {
    const w = new JuteWriter(8);
    codec('Stat').encode(w, stat);
    codec('Stat').encode(w, { ...stat, czxid: -1, ephemeralOwner: -0x8000000000000000n });
    const r = new JuteReader(w.take());
    expect(codec('Stat').decode(r)).toEqual(stat);
    expect(codec('Stat').decode(r)).toMatchObject({ czxid: -1, ephemeralOwner: -0x8000000000000000n });
    expect(r.remaining).toBe(0);
  });

  it('encodes vectors of records and null buffers', () => {
    const w = new JuteWriter();
    const req = { path: '/a/ü', data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 3 };
    codec('CreateRequest').encode(w, req);
    expect(codec('CreateRequest').decode(new JuteReader(w.take()))).toEqual(req);
  });

  it('writes strings as UTF-8 whatever they hold, and the session ids it caches as their own bytes', () => {
    const strings = ['', '/a', '/a/ü', 'x'.repeat(127) + 'é', '日本/語', 'y'.repeat(500), '/ascii/then/ü/late', '\u007f\u0080'];
    const w = new JuteWriter(4);
    for (const v of strings) w.ustring(v);
    const ids = [0n, -1n, 0x100000000000001n, 0x7fffffffffffffffn, -0x8000000000000000n];
    // More ids than the cache holds, each written twice, in an order that evicts.
    for (let i = 0; i < 24; i++) w.id(ids[(i * 3) % ids.length]! + BigInt(i % 10) * (i % 2 === 0 ? 1n : 0n));
    const bytes = w.take();
    const r = new JuteReader(bytes);
    for (const v of strings) {
      const len = r.int();
      expect(bytes.toString('utf8', r.offset, r.offset + len)).toBe(v);
      expect(len).toBe(Buffer.byteLength(v));
      r.offset += len;
    }
    for (let i = 0; i < 24; i++) expect(r.id()).toBe(BigInt.asIntN(64, ids[(i * 3) % ids.length]! + BigInt(i % 10) * (i % 2 === 0 ? 1n : 0n)));
    expect(r.remaining).toBe(0);
  });

  it('stores ints and longs by hand as Buffer writes them, and reads them back', () => {
    const longs = [0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 0x100000002, -0x100000002, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1_796_657_165_033];
    const ints = [0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678];
    const w = new JuteWriter(4);
    for (const v of longs) w.long(v);
    for (const v of ints) w.int(v);
    const bytes = w.take();
    const expected = Buffer.alloc(longs.length * 8 + ints.length * 4);
    longs.forEach((v, i) => expected.writeBigInt64BE(BigInt(v), i * 8));
    ints.forEach((v, i) => expected.writeInt32BE(v, longs.length * 8 + i * 4));
    expect(bytes.equals(expected)).toBe(true);
    const r = new JuteReader(bytes);
    expect(longs.map(() => r.long())).toEqual(longs);
    expect(ints.map(() => r.int())).toEqual(ints);
  });

  it('writes and reads ACL lists, reusing the bytes and lists of frozen ones without mixing lists up', () => {
    const frozen = (perms: number, scheme: string, id: string): ACL => Object.freeze({ perms, id: Object.freeze({ scheme, id }) });
    const lists: (readonly ACL[])[] = [
      Object.freeze([frozen(31, 'world', 'anyone')]),
      Object.freeze([frozen(1, 'world', 'anyone')]),
      Object.freeze([frozen(31, 'digest', 'u:x'), frozen(1, 'ip', '127.0.0.1')]),
      Object.freeze([]),
      Object.freeze([frozen(3, 'world', 'anyone')]),
      Object.freeze([frozen(5, 'world', 'anyone')]),
    ];
    const mutable: ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    const w = new JuteWriter(4);
    // More lists than either cache holds, twice over, with a list changed between its writes.
    for (let round = 0; round < 2; round++) {
      for (const l of lists) writeAclList(w, l);
      writeAclList(w, mutable);
      mutable[0] = { perms: 2, id: { scheme: 'world', id: 'anyone' } };
    }
    const bytes = w.take();
    const plain = new JuteWriter(4);
    for (let round = 0; round < 2; round++) {
      for (const l of [...lists, round === 0 ? [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }] : mutable]) {
        plain.int(l.length);
        for (const a of l) codec('ACL').encode(plain, a);
      }
    }
    expect(bytes.equals(plain.take())).toBe(true);
    const r = new JuteReader(bytes);
    const read = Array.from({ length: 2 * (lists.length + 1) }, () => readAclList(r));
    expect(r.remaining).toBe(0);
    expect(read.slice(0, lists.length)).toEqual(lists);
    expect(read[lists.length]).toEqual([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
    expect(read[2 * lists.length + 1]).toEqual([{ perms: 2, id: { scheme: 'world', id: 'anyone' } }]);
    // What is read is frozen throughout: a reader that shares it cannot change it for others.
    for (const l of read) expect(Object.isFrozen(l) && l.every((a) => Object.isFrozen(a) && Object.isFrozen(a.id))).toBe(true);
    // The same bytes read again soon after give the very same list.
    const again = new JuteWriter(4);
    writeAclList(again, lists[5]!);
    writeAclList(again, lists[5]!);
    const r2 = new JuteReader(again.take());
    expect(readAclList(r2)).toBe(readAclList(r2));
    // A truncated list is a JuteError, not a list taken from the cache.
    const cut = new JuteWriter(4);
    writeAclList(cut, lists[0]!);
    const short = cut.take();
    expect(() => readAclList(new JuteReader(short, 0, short.length - 1))).toThrow(JuteError);
  });

  it('never reads past the frame end', () => {
    const w = new JuteWriter();
    codec('GetDataRequest').encode(w, { path: '/abc', watch: true });
    const bytes = w.take();
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => codec('GetDataRequest').decode(new JuteReader(bytes, 0, cut))).toThrow(JuteError);
    }
  });

  it('rejects negative and oversized lengths', () => {
    const b = Buffer.alloc(8);
    b.writeInt32BE(-5, 0);
    expect(() => new JuteReader(b).buffer()).toThrow(/negative buffer length -5/);
    b.writeInt32BE(1_000_000, 0);
    expect(() => new JuteReader(b).ustring()).toThrow(/truncated string/);
    expect(() => new JuteReader(b).vectorLength(4)).toThrow(/bad vector length/);
    b.writeInt32BE(-2, 0);
    expect(() => new JuteReader(b).ustringOrNull()).toThrow(/negative string length -2/);
    expect(() => new JuteReader(b).vectorLengthOrNull(4)).toThrow(/bad vector length -2/);
  });

  it("reads jute's null (length -1) as null for a peer's records and as \"\" / [] otherwise", () => {
    const w = new JuteWriter();
    const nul = null as unknown as string;
    const sent = { path: nul, data: null, acl: [{ perms: 31, id: { scheme: 'auth', id: nul } }], flags: 0 };
    codec('CreateRequest').encode(w, sent);
    w.int(-1); // a null vector: SetWatches' data list
    const bytes = w.take();
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(codec('CreateRequest').decodeWire(new JuteReader(bytes))).toEqual(sent);
    expect(codec('CreateRequest').decode(new JuteReader(bytes))).toEqual({ ...sent, path: '', acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }] });
    const lists = new JuteWriter();
    lists.long(0); lists.int(-1); lists.int(1); lists.ustring(nul); lists.int(0);
    const watches = lists.take();
    expect(codec('SetWatches').decodeWire(new JuteReader(watches))).toEqual({ relativeZxid: 0, dataWatches: null, existWatches: [null], childWatches: [] });
    expect(codec('SetWatches').decode(new JuteReader(watches))).toEqual({ relativeZxid: 0, dataWatches: [], existWatches: [''], childWatches: [] });
  });

  it('keeps null paths in a multi request, as a server must see them', () => {
    const w = new JuteWriter();
    encodeMultiRequest(w, [{ type: OpCode.delete, body: { path: null, version: -1 } }]);
    expect(decodeMultiRequest(new JuteReader(w.take()), MULTI_WRITE_OPS)).toEqual([{ type: OpCode.delete, body: { path: null, version: -1 } }]);
  });

  it('round-trips multi requests and responses', () => {
    const w = new JuteWriter();
    const ops = [
      { type: OpCode.create, body: { path: '/x', data: Buffer.from('1'), acl: [], flags: 0 } },
      { type: OpCode.check, body: { path: '/x', version: 2 } },
      { type: OpCode.delete, body: { path: '/x', version: -1 } },
    ];
    encodeMultiRequest(w, ops);
    expect(decodeMultiRequest(new JuteReader(w.take()), MULTI_WRITE_OPS)).toEqual(ops);
    w.reset();
    const results = [
      { type: OpCode.create, err: 0, body: { path: '/x' } },
      { type: OpCode.error, err: Code.NoNode, body: null },
      { type: OpCode.delete, err: 0, body: null },
    ];
    encodeMultiResponse(w, results);
    expect(decodeMultiResponse(new JuteReader(w.take()))).toEqual(results);
  });

  it('rejects ops a multi may not carry', () => {
    const w = new JuteWriter();
    encodeMultiRequest(w, [{ type: OpCode.getData, body: { path: '/x', watch: false } }]);
    expect(() => decodeMultiRequest(new JuteReader(w.take()), MULTI_WRITE_OPS)).toThrow(/not allowed/);
  });
});

describe('paths', () => {
  it.each([
    ['/', null], ['/a', null], ['/a/b.c', null], ['/a/...', null], ['/.a', null],
    ['', 'Path length must be > 0'], ['a', 'Path must start with / character'],
    ['/a/', 'Path must not end with / character'], ['/a//b', 'empty node name specified @3'],
    ['/a/./b', 'relative paths not allowed @3'], ['/a/..', 'relative paths not allowed @4'],
    ['/a\u0000', 'null character not allowed @2'], ['/a\u0001', 'invalid character @2'],
    ['/\ud83d\ude00', 'invalid character @1'], ['/\ufff5', 'invalid character @1'],
  ])('%j → %j', (p, err) => {
    expect(pathError(p)).toBe(err);
  });

  it('splits and joins', () => {
    expect(parentPath('/a/b')).toBe('/a');
    expect(parentPath('/a')).toBe('/');
    expect(baseName('/a/b')).toBe('b');
    expect(joinPath('/', 'a')).toBe('/a');
    expect(sequenceSuffix(42)).toBe('0000000042');
    expect(sequenceSuffix(-2147483648)).toBe('-2147483648');
  });
});

describe('error codes', () => {
  it('names every code and formats KeeperError like ZooKeeper', () => {
    for (const c of ALL_CODES) expect(errorName(c)).not.toMatch(/^Unknown\(/);
    expect(new Set(ALL_CODES).size).toBe(ALL_CODES.length);
    const e = new KeeperError(Code.NoNode, '/a');
    expect(e.message).toBe('KeeperErrorCode = NoNode for /a');
    expect(e.codeName).toBe('NoNode');
  });
});

describe('four-letter words', () => {
  it('detects words from the first int of a connection', () => {
    expect(fourLetterWordOf(Buffer.from('ruok').readInt32BE(0))).toBe('ruok');
    expect(fourLetterWordOf(44)).toBeUndefined();
  });

  it('has a record row for every record name', () => {
    expect(Object.keys(RECORDS).length).toBeGreaterThan(40);
  });
});

describe('KeeperError.expected', () => {
  it('is a KeeperError with the same message, without a captured stack', () => {
    const e = KeeperError.expected(Code.BadVersion, '/v');
    expect(e).toBeInstanceOf(KeeperError);
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe(new KeeperError(Code.BadVersion, '/v').message);
    expect([e.code, e.codeName, e.path, e.name]).toEqual([Code.BadVersion, 'BadVersion', '/v', 'KeeperError']);
  });
});
