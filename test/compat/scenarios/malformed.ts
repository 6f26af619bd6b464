import { JuteWriter, OpCode } from '@paddock/coord-protocol';
import {
  create, encodeRecord, exists, getData, hangsUp, open, ping, rawBytes, rawOp, scenario, type Ctx, type Scenario,
} from '../steps.js';

/** A framed request: length, xid, type, body. */
function frame(xid: number, type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(xid, 4);
  head.writeInt32BE(type, 8);
  return Buffer.concat([head, body]);
}
const getDataBody = (c: Ctx, p: string, watch = false): Buffer => encodeRecord('GetDataRequest', { path: c.path(p), watch });
const createBody = (c: Ctx, p: string): Buffer =>
  encodeRecord('CreateRequest', { path: c.path(p), data: Buffer.from('d'), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 });

/** Each malformed request on its own session, then a second session shows the server is fine. */
const lone = (name: string, op: number, body: (c: Ctx) => Buffer): Scenario =>
  scenario(name, [open('s1'), open('s2'), ping('s1'), rawOp('s1', op, body, name), ping('s1'), exists('s2', '/a')]);

export const scenarios: Scenario[] = [
  lone('getData with an empty body', OpCode.getData, () => Buffer.alloc(0)),
  lone('getData with a truncated path', OpCode.getData, (c) => getDataBody(c, '/a').subarray(0, 6)),
  lone('getData with a path length beyond the frame', OpCode.getData, () => Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x2f])),
  lone('getData with a negative path length', OpCode.getData, () => Buffer.from([0xff, 0xff, 0xff, 0xf0, 0])),
  lone('getData with a null path', OpCode.getData, () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0])),
  lone('create with an empty body', OpCode.create, () => Buffer.alloc(0)),
  lone('create with a truncated ACL', OpCode.create, (c) => { const b = createBody(c, '/a'); return b.subarray(0, b.length - 10); }),
  lone('create with a huge ACL count', OpCode.create, (c) => {
    const w = new JuteWriter();
    w.ustring(c.path('/a')); w.buffer(Buffer.from('d')); w.int(0x7fffffff);
    return w.take();
  }),
  lone('create with a null ACL list', OpCode.create, (c) => {
    const w = new JuteWriter();
    w.ustring(c.path('/a')); w.buffer(Buffer.from('d')); w.int(-1); w.int(0);
    return w.take();
  }),
  lone('setData with a truncated version', OpCode.setData, (c) => encodeRecord('SetDataRequest', { path: c.path('/a'), data: null, version: -1 }).subarray(0, -2)),
  lone('multi with an empty body', OpCode.multi, () => Buffer.alloc(0)),
  lone('multi without the done marker', OpCode.multi, (c) => {
    const w = new JuteWriter();
    w.int(OpCode.create); w.bool(false); w.int(-1);
    return Buffer.concat([w.take(), createBody(c, '/a')]);
  }),
  scenario('trailing bytes after a request body', [
    open('s1'),
    create('s1', '/a', 'x'),
    rawOp('s1', OpCode.getData, (c) => Buffer.concat([getDataBody(c, '/a'), Buffer.from('garbage')]), 'getData + 7 stray bytes'),
    rawOp('s1', OpCode.create, (c) => Buffer.concat([createBody(c, '/b'), Buffer.from([1, 2, 3])]), 'create + 3 stray bytes'),
    exists('s1', '/b'),
  ]),
  scenario('a watch flag byte other than 0 or 1', [
    open('s1'), open('s2'),
    create('s2', '/a'),
    rawOp('s1', OpCode.getData, (c) => { const b = getDataBody(c, '/a', true); b[b.length - 1] = 2; return b; }, 'getData watch=2'),
    rawOp('s2', OpCode.setData, (c) => encodeRecord('SetDataRequest', { path: c.path('/a'), data: Buffer.from('x'), version: -1 }), 'setData'),
    ping('s1'),
  ]),
  scenario('two requests in one write and one request split in three', [
    open('s1'),
    create('s1', '/a', 'x'),
    rawBytes('s1', 'ping + ping', Buffer.concat([frame(-2, OpCode.ping, Buffer.alloc(0)), frame(-2, OpCode.ping, Buffer.alloc(0))]), 2),
    rawBytes('s1', 'first 3 bytes of a frame', Buffer.from([0, 0, 0]), 0),
    rawBytes('s1', 'rest of a ping frame', Buffer.from([8, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 11])),
    getData('s1', '/a'),
  ]),
  scenario('a frame with length zero', [
    open('s1'), open('s2'),
    rawBytes('s1', 'frame of length 0', Buffer.from([0, 0, 0, 0])),
    hangsUp('s1'),
    ping('s2'),
  ]),
  scenario('a frame with a negative length', [
    open('s1'), open('s2'),
    rawBytes('s1', 'frame of length -5', Buffer.from([0xff, 0xff, 0xff, 0xfb])),
    hangsUp('s1'),
    ping('s2'),
  ]),
  scenario('a frame with only part of the request header', [
    open('s1'), open('s2'),
    rawBytes('s1', 'frame of length 4: xid only', Buffer.from([0, 0, 0, 4, 0, 0, 0, 9])),
    hangsUp('s1'),
    ping('s2'),
  ]),
];
