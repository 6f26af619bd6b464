import { describe, expect, it } from 'vitest';
import { Code, Ids, JuteError, JuteWriter, OpCode } from '@paddock/coord-protocol';
import { sessionPassword } from '../../session/session-password.js';
import { CONTAINER_OWNER, ttlOwner } from '../../tree/ephemeral-type.js';
import type { Txn, TxnBody } from '../../txn/txn.js';
import { type ZkTxn, decodeZkTxn, encodeZkTxn, zkTxnBytes } from './zk-txn.js';

const S = 0x100000000000001n;
const ZXID = 0x100000002;
const txn = (body: TxnBody, sessionId = S): Txn => ({ zxid: ZXID, time: 1000, sessionId, body });
const create = (op: number, owner: bigint, path = '/a'): TxnBody =>
  ({ kind: 'create', op, path, data: Buffer.from('x'), acl: Ids.OPEN_ACL_UNSAFE, owner, parentCVersion: 3 });

/** TxnHeader, CreateTxn and TxnDigest of an ephemeral create, laid out by hand from zookeeper.jute. */
const CREATE_HEX = [
  '0100000000000001', '00000007', '0000000100000002', '00000000000003e8', '00000001', // clientId cxid zxid time type
  '000000022f61', '0000000178', // path "/a", data "x"
  '00000001', '0000001f', '00000005776f726c64', '00000006616e796f6e65', // acl [{31, world:anyone}]
  '01', '00000003', // ephemeral, parentCVersion
  '00000002', 'fffffffffffffffe', // digest version 2, treeDigest -2
].join('');

describe('ZooKeeper txn serialization', () => {
  it('writes an ephemeral create as ZooKeeper lays it out, and reads it back', () => {
    const e: ZkTxn = { txn: txn(create(OpCode.create, S)), cxid: 7, digest: { version: 2, treeDigest: -2n } };
    expect(zkTxnBytes(e).toString('hex')).toBe(CREATE_HEX);
    expect(decodeZkTxn(Buffer.from(CREATE_HEX, 'hex'))).toEqual(e);
  });

  const bodies: [string, TxnBody][] = [
    ['create', create(OpCode.create, 0n)],
    ['create2 ephemeral', create(OpCode.create2, S)],
    ['createContainer', create(OpCode.createContainer, CONTAINER_OWNER)],
    ['createTTL', create(OpCode.createTTL, ttlOwner(60_000))],
    ['create with null data', { kind: 'create', op: OpCode.create, path: '/n', data: null, acl: Ids.READ_ACL_UNSAFE, owner: 0n, parentCVersion: 1 }],
    ['delete', { kind: 'delete', path: '/a' }],
    ['deleteContainer', { kind: 'delete', path: '/a', op: OpCode.deleteContainer }],
    ['setData', { kind: 'setData', path: '/a', data: Buffer.from('v'), version: 4 }],
    ['reconfig', { kind: 'setData', path: '/zookeeper/config', data: Buffer.from('server.1=x'), version: -1, op: OpCode.reconfig }],
    ['setACL', { kind: 'setACL', path: '/a', acl: [{ perms: 1, id: { scheme: 'digest', id: 'u:h' } }], version: 2 }],
    ['check', { kind: 'check', path: '/a', version: 5 }],
    ['createSession', { kind: 'createSession', timeout: 30_000, passwd: sessionPassword(S) }],
    ['closeSession', { kind: 'closeSession', paths: ['/e1', '/e2'] }],
    ['closeSession without its record', { kind: 'closeSession', paths: [], pathsUnlisted: true }],
    ['error', { kind: 'error', err: Code.NodeExists }],
    ['multi', { kind: 'multi', txns: [create(OpCode.create, S, '/m'), { kind: 'setData', path: '/a', data: null, version: 1 }, { kind: 'check', path: '/a', version: 2 }, { kind: 'delete', path: '/b' }] }],
    ['failed multi', { kind: 'multi', txns: [{ kind: 'error', err: Code.OK, undone: create(OpCode.create, 0n, '/m') }, { kind: 'error', err: Code.BadVersion }, { kind: 'error', err: Code.RuntimeInconsistency }] }],
  ];

  it.each(bodies)('reads back what it writes: %s', (_name, body) => {
    // Without its record a closeSession followed by a digest reads right only when told, as in ZooKeeper.
    const opts = body.kind === 'closeSession' && body.pathsUnlisted ? { closeSessionTxn: false } : {};
    for (const digest of [undefined, { version: 2, treeDigest: 0x123456789abcdefn }]) {
      const e: ZkTxn = digest ? { txn: txn(body), cxid: -5, digest } : { txn: txn(body), cxid: -5 };
      const bytes = zkTxnBytes(e);
      const back = decodeZkTxn(bytes, opts);
      expect(back).toEqual(e);
      expect(zkTxnBytes(back).equals(bytes)).toBe(true);
    }
  });

  it('reads a closeSession that ends at its header as one logged without CloseSessionTxn, as ZooKeeper does', () => {
    const unlisted: TxnBody = { kind: 'closeSession', paths: [], pathsUnlisted: true };
    expect(decodeZkTxn(zkTxnBytes({ txn: txn(unlisted), cxid: 0 })).txn.body).toEqual(unlisted);
  });

  it('appends to a writer that already holds bytes, and decodes from an offset', () => {
    const w = new JuteWriter(8);
    w.int(42);
    const e: ZkTxn = { txn: txn(bodies[15]![1]), cxid: 1 };
    encodeZkTxn(w, e);
    expect(decodeZkTxn(w.take(), { offset: 4 })).toEqual(e);
  });

  it('settles a failed multi as ZooKeeper applies it: ops before the failure OK, after it RuntimeInconsistency', () => {
    const w = new JuteWriter();
    const header = (type: number) => { w.id(S); w.int(1); w.long(ZXID); w.long(5); w.int(type); };
    const sub = (type: number, body: (w: JuteWriter) => void) => { w.int(type); const at = w.beginFrame(); body(w); w.endFrame(at); };
    header(OpCode.multi);
    w.int(3);
    sub(OpCode.delete, (x) => x.ustring('/x'));
    sub(OpCode.error, (x) => x.int(Code.NoNode));
    sub(OpCode.delete, (x) => x.ustring('/y'));
    const body = decodeZkTxn(w.take()).txn.body;
    expect(body).toEqual({ kind: 'multi', txns: [
      { kind: 'error', err: Code.OK, undone: { kind: 'delete', path: '/x' } },
      { kind: 'error', err: Code.NoNode },
      { kind: 'error', err: Code.RuntimeInconsistency, undone: { kind: 'delete', path: '/y' } },
    ] });
  });

  it('refuses txns ZooKeeper\'s records cannot say, naming what is wrong', () => {
    const enc = (body: TxnBody, t: Partial<Txn> = {}) => () => zkTxnBytes({ txn: { ...txn(body), ...t }, cxid: 0 });
    expect(enc(create(OpCode.create, S + 1n))).toThrow(/owner 0x100000000000002 .*session 0x100000000000001/);
    expect(enc(create(OpCode.create, CONTAINER_OWNER))).toThrow(/owner 0x8000000000000000/);
    expect(enc(create(OpCode.createContainer, 0n))).toThrow(/not the container marker/);
    expect(enc(create(OpCode.createTTL, 0n))).toThrow(/not a TTL encoding/);
    expect(enc(create(OpCode.delete, 0n))).toThrow(/a create txn cannot be logged as ZooKeeper txn type 2/);
    expect(enc({ kind: 'multi', txns: [{ kind: 'createSession', timeout: 1, passwd: Buffer.alloc(16) }] })).toThrow(/createSession .*cannot be a sub-txn/);
    expect(enc({ kind: 'multi', txns: [create(OpCode.create2, 0n)] })).toThrow(/txn type 15\) cannot be a sub-txn/);
    expect(enc({ kind: 'error', err: 0 }, { zxid: 2 ** 53 })).toThrow(/zxid 9007199254740992/);
    expect(enc({ kind: 'error', err: 0 }, { time: 1.5 })).toThrow(/time 1.5/);
    expect(() => zkTxnBytes({ txn: txn({ kind: 'error', err: 0 }), cxid: 2 ** 31 })).toThrow(/cxid 2147483648/);
  });

  it('refuses malformed bytes with a JuteError naming what it found', () => {
    const good = zkTxnBytes({ txn: txn(create(OpCode.create, 0n)), cxid: 1 });
    const withType = (type: number) => { const b = Buffer.from(good); b.writeInt32BE(type, 28); return b; };
    const cases: [Buffer, RegExp][] = [
      [withType(99), /unknown txn type 99/],
      [withType(OpCode.createSession), /bytes after its record/],
      [good.subarray(0, good.length - 2), /truncated/],
      [Buffer.concat([good, Buffer.alloc(3)]), /3 bytes after its record/],
      [(() => { const b = Buffer.from(good); b.writeUInt32BE(0x00400000, 12); return b; })(), /zxid is 0x40000000000002, outside JS safe integers/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeZkTxn(bytes)).toThrow(JuteError);
      expect(() => decodeZkTxn(bytes)).toThrow(message);
    }
  });

  it('bounds a multi by its bytes and refuses sub-txns a multi cannot hold', () => {
    const multi = (fill: (w: JuteWriter) => void) => {
      const w = new JuteWriter();
      w.id(S); w.int(1); w.long(ZXID); w.long(5); w.int(OpCode.multi);
      fill(w);
      return w.take();
    };
    expect(() => decodeZkTxn(multi((w) => w.int(0x7fffffff)))).toThrow(/bad vector length 2147483647/);
    expect(() => decodeZkTxn(multi((w) => { w.int(1); w.int(OpCode.delete); w.int(1000); }))).toThrow(/length 1000 with 0 bytes left/);
    expect(() => decodeZkTxn(multi((w) => { w.int(1); w.int(OpCode.multi); w.int(4); w.int(0); }))).toThrow(/type 14 cannot be part of a multi/);
    expect(() => decodeZkTxn(multi((w) => { w.int(1); w.int(OpCode.error); w.int(6); w.int(0); w.bool(true); w.bool(true); }))).toThrow(/2 bytes after its record/);
  });

  it('refuses a createTTL whose ttl ZooKeeper could not apply', () => {
    const bytes = zkTxnBytes({ txn: txn(create(OpCode.createTTL, ttlOwner(60_000))), cxid: 0 });
    const zero = Buffer.from(bytes);
    zero.writeUInt32BE(0, zero.length - 4);
    expect(() => decodeZkTxn(zero)).toThrow(/ttl 0 is not in 1\.\.1099511627775/);
  });
});
