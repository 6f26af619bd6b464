import { describe, expect, it } from 'vitest';
import {
  Code, CreateMode, EventType, JuteReader, JuteWriter, type MultiOp, OpCode, type RecordName, type RecordType, Xid, codec,
  decodeMultiResponse, encodeMultiRequest,
} from '@paddock/coord-protocol';
import { digestOf } from '../acl/auth-providers.js';
import { OPEN_ACL, testPipeline } from './testing/pipeline-harness.js';

const data = (s: string) => Buffer.from(s);
const header = codec('ReplyHeader');
function encode<N extends RecordName>(name: N, v: RecordType<N>): Buffer {
  const w = new JuteWriter();
  codec(name).encode(w, v);
  return w.take();
}
function multiBody(ops: MultiOp[]): Buffer {
  const w = new JuteWriter();
  encodeMultiRequest(w, ops);
  return w.take();
}
const create = (path: string, flags: number = CreateMode.PERSISTENT, d: Buffer | null = data('x')) =>
  ({ path, data: d, acl: OPEN_ACL, flags });

describe('pipeline: create', () => {
  it('creates nodes with full Stat and consumes one zxid per write, failed ones included', () => {
    const t = testPipeline();
    const c = t.open();
    const a = t.call(c, OpCode.create2, 'CreateRequest', create('/a'), 'Create2Response');
    expect(a.err).toBe(0);
    expect(a.res!.stat).toMatchObject({ czxid: a.zxid, mzxid: a.zxid, pzxid: a.zxid, version: 0, dataLength: 1, numChildren: 0 });
    const dup = t.call(c, OpCode.create, 'CreateRequest', create('/a'));
    expect(dup).toMatchObject({ err: Code.NodeExists, zxid: a.zxid + 1 });
    const b = t.call(c, OpCode.create, 'CreateRequest', create('/b'), 'CreateResponse');
    expect(b.zxid).toBe(a.zxid + 2);
  });

  it('names sequential nodes from the count of creates under the parent', () => {
    const t = testPipeline();
    const c = t.open();
    t.call(c, OpCode.create, 'CreateRequest', create('/q'));
    const first = t.call(c, OpCode.create, 'CreateRequest', create('/q/n-', CreateMode.PERSISTENT_SEQUENTIAL), 'CreateResponse');
    expect(first.res!.path).toBe('/q/n-0000000000');
    t.call(c, OpCode.delete, 'DeleteRequest', { path: '/q/n-0000000000', version: -1 });
    const second = t.call(c, OpCode.create, 'CreateRequest', create('/q/n-', CreateMode.EPHEMERAL_SEQUENTIAL), 'CreateResponse');
    // Deletes raise the visible cversion but not the stored count of creates that names nodes.
    expect(second.res!.path).toBe('/q/n-0000000001');
    const stat = t.call(c, OpCode.exists, 'ExistsRequest', { path: '/q', watch: false }, 'ExistsResponse');
    expect(stat.res!.stat).toMatchObject({ cversion: 3, numChildren: 1 });
  });

  it('rejects bad input with ZooKeeper codes', () => {
    const t = testPipeline();
    const c = t.open();
    t.call(c, OpCode.create, 'CreateRequest', create('/e', CreateMode.EPHEMERAL));
    const cases: [string, number, number][] = [
      ['no-slash', CreateMode.PERSISTENT, Code.BadArguments],
      ['/missing/child', CreateMode.PERSISTENT, Code.NoNode],
      ['/e/child', CreateMode.PERSISTENT, Code.NoChildrenForEphemerals],
      ['/a\u0000b', CreateMode.PERSISTENT, Code.BadArguments],
      ['/a/../b', CreateMode.PERSISTENT, Code.NoNode],
      ['/bad/', CreateMode.PERSISTENT, Code.NoNode],
      ['/x', 99, Code.BadArguments],
      ['/ttl', CreateMode.PERSISTENT_WITH_TTL, Code.BadArguments],
    ];
    for (const [path, flags, code] of cases) {
      expect(t.call(c, OpCode.create, 'CreateRequest', create(path, flags)).err, path).toBe(code);
    }
    expect(t.call(c, OpCode.create, 'CreateRequest', { path: '/acl', data: null, acl: [], flags: 0 }).err).toBe(Code.InvalidACL);
    expect(t.call(c, OpCode.create, 'CreateRequest', { path: '/acl', data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'x' } }], flags: 0 }).err).toBe(Code.InvalidACL);
  });

  it('answers a truncated body with MarshallingError and keeps serving', () => {
    const t = testPipeline();
    const c = t.open();
    const r = t.send(c, OpCode.create, Buffer.from([0, 0, 0, 9, 0x2f]));
    expect(r.header.err).toBe(Code.MarshallingError);
    expect(t.call(c, OpCode.create, 'CreateRequest', create('/ok')).err).toBe(0);
    expect(t.send(c, 4242, Buffer.alloc(0)).header.err).toBe(Code.Unimplemented);
  });
});

describe('pipeline: requests a learner forwarded to the leader', () => {
  it('applies them and answers nobody: the learner replies to its client from the commit', () => {
    const t = testPipeline();
    const c = t.open();
    const metrics = t.pipeline.stats.metrics;
    const bytesBefore = metrics.responseBytes;
    t.pipeline.leader!.forwarded(c.session!.id, 7, OpCode.create, encode('CreateRequest', create('/f')), []);
    t.pipeline.leader!.forwarded(c.session!.id, 8, OpCode.setData, encode('SetDataRequest', { path: '/f', data: data('y'), version: 0 }), []);
    // Nothing went to any connection, nothing is held for one, and no reply was counted.
    expect(c.frames).toEqual([]);
    expect(metrics.responseBytes).toBe(bytesBefore);
    expect(t.pipeline.stats.outstanding).toBe(0);
    const got = t.call(c, OpCode.getData, 'GetDataRequest', { path: '/f', watch: false }, 'GetDataResponse');
    expect(got.res!.data!.toString()).toBe('y');
    expect(got.res!.stat.version).toBe(1);
  });
});

describe('pipeline: versions, delete, data', () => {
  it('honours versioned setData and delete (-1 matches any)', () => {
    const t = testPipeline();
    const c = t.open();
    t.call(c, OpCode.create, 'CreateRequest', create('/v'));
    expect(t.call(c, OpCode.setData, 'SetDataRequest', { path: '/v', data: data('1'), version: 5 }).err).toBe(Code.BadVersion);
    const s1 = t.call(c, OpCode.setData, 'SetDataRequest', { path: '/v', data: data('12'), version: 0 }, 'SetDataResponse');
    expect(s1.res!.stat).toMatchObject({ version: 1, dataLength: 2 });
    expect(s1.res!.stat.mzxid).toBeGreaterThan(s1.res!.stat.czxid);
    expect(t.call(c, OpCode.delete, 'DeleteRequest', { path: '/v', version: 0 }).err).toBe(Code.BadVersion);
    t.call(c, OpCode.create, 'CreateRequest', create('/v/c'));
    expect(t.call(c, OpCode.delete, 'DeleteRequest', { path: '/v', version: 1 }).err).toBe(Code.NotEmpty);
    expect(t.call(c, OpCode.delete, 'DeleteRequest', { path: '/zookeeper', version: -1 }).err).toBe(Code.BadArguments);
    const got = t.call(c, OpCode.getData, 'GetDataRequest', { path: '/v', watch: false }, 'GetDataResponse');
    expect(got.res!.data).toEqual(data('12'));
  });
});

describe('pipeline: watches', () => {
  it('fires the node event before the parent event, and before the reply that carries the change', () => {
    const t = testPipeline();
    const w = t.open();
    const c = t.open();
    t.call(w, OpCode.exists, 'ExistsRequest', { path: '/n', watch: true });
    t.call(w, OpCode.getChildren, 'GetChildrenRequest', { path: '/', watch: true });
    t.call(c, OpCode.create, 'CreateRequest', create('/n'));
    expect(w.events).toEqual([
      { type: EventType.NodeCreated, state: 3, path: '/n' },
      { type: EventType.NodeChildrenChanged, state: 3, path: '/' },
    ]);
    // One-shot: a second change is not reported.
    t.call(c, OpCode.setData, 'SetDataRequest', { path: '/n', data: null, version: -1 });
    expect(w.events).toHaveLength(2);
  });

  it('tells a connection once per change when data and child watches both match a delete', () => {
    const t = testPipeline();
    const w = t.open();
    const c = t.open();
    t.call(c, OpCode.create, 'CreateRequest', create('/d'));
    t.call(w, OpCode.getData, 'GetDataRequest', { path: '/d', watch: true });
    t.call(w, OpCode.getChildren, 'GetChildrenRequest', { path: '/d', watch: true });
    t.call(c, OpCode.delete, 'DeleteRequest', { path: '/d', version: -1 });
    expect(w.events).toEqual([{ type: EventType.NodeDeleted, state: 3, path: '/d' }]);
  });

  it('keeps persistent watches and sends recursive ones every event below, except child changes', () => {
    const t = testPipeline();
    const w = t.open();
    const c = t.open();
    t.call(w, OpCode.addWatch, 'AddWatchRequest', { path: '/p', mode: 0 });
    t.call(w, OpCode.addWatch, 'AddWatchRequest', { path: '/r', mode: 1 });
    t.call(c, OpCode.create, 'CreateRequest', create('/p'));
    t.call(c, OpCode.create, 'CreateRequest', create('/p/x'));
    t.call(c, OpCode.setData, 'SetDataRequest', { path: '/p', data: null, version: -1 });
    t.call(c, OpCode.create, 'CreateRequest', create('/r'));
    t.call(c, OpCode.create, 'CreateRequest', create('/r/a'));
    t.call(c, OpCode.setData, 'SetDataRequest', { path: '/r/a', data: null, version: -1 });
    expect(w.events.map((e) => `${e.type}:${e.path}`)).toEqual([
      '1:/p', '4:/p', '3:/p', '1:/r', '1:/r/a', '3:/r/a',
    ]);
  });

  it('removes and checks watches, answering NoWatcher when there is none', () => {
    const t = testPipeline();
    const w = t.open();
    t.call(w, OpCode.exists, 'ExistsRequest', { path: '/z', watch: true });
    expect(t.call(w, OpCode.checkWatches, 'CheckWatchesRequest', { path: '/z', type: 2 }).err).toBe(0);
    expect(t.call(w, OpCode.checkWatches, 'CheckWatchesRequest', { path: '/z', type: 1 }).err).toBe(Code.NoWatcher);
    expect(t.call(w, OpCode.removeWatches, 'RemoveWatchesRequest', { path: '/z', type: 3 }).err).toBe(0);
    expect(t.call(w, OpCode.removeWatches, 'RemoveWatchesRequest', { path: '/z', type: 3 }).err).toBe(Code.NoWatcher);
  });

  it('fires at once on setWatches for what changed since the client last looked', () => {
    const t = testPipeline();
    const c = t.open();
    const made = t.call(c, OpCode.create, 'CreateRequest', create('/s'));
    t.call(c, OpCode.setData, 'SetDataRequest', { path: '/s', data: null, version: -1 });
    const w = t.open();
    t.call(w, OpCode.setWatches, 'SetWatches', {
      relativeZxid: made.zxid - 1, dataWatches: ['/s', '/gone'], existWatches: ['/s', '/later'], childWatches: ['/'],
    });
    expect(w.events.map((e) => `${e.type}:${e.path}`)).toEqual(['3:/s', '2:/gone', '1:/s', '4:/']);
    t.call(c, OpCode.create, 'CreateRequest', create('/later'));
    expect(w.events.at(-1)).toMatchObject({ type: EventType.NodeCreated, path: '/later' });
  });
});

describe('pipeline: multi', () => {
  it('applies all ops or none, reporting per-op results like ZooKeeper', () => {
    const t = testPipeline();
    const c = t.open();
    const ok = t.multi(c, [
      { type: OpCode.create, body: create('/m') },
      { type: OpCode.create, body: create('/m/c', CreateMode.PERSISTENT_SEQUENTIAL) },
      { type: OpCode.check, body: { path: '/m', version: 0 } },
      { type: OpCode.setData, body: { path: '/m', data: data('y'), version: 0 } },
    ]);
    expect(ok.err).toBe(0);
    expect(ok.results.map((r) => r.type)).toEqual([OpCode.create, OpCode.create, OpCode.check, OpCode.setData]);
    expect(ok.results[1]!.body).toEqual({ path: '/m/c0000000000' });
    const bad = t.multi(c, [
      { type: OpCode.create, body: create('/n') },
      { type: OpCode.delete, body: { path: '/m', version: -1 } },
      { type: OpCode.create, body: create('/o') },
    ]);
    expect(bad.err).toBe(0);
    expect(bad.results.map((r) => r.err)).toEqual([0, Code.NotEmpty, Code.RuntimeInconsistency]);
    expect(t.call(c, OpCode.exists, 'ExistsRequest', { path: '/n', watch: false }).err).toBe(Code.NoNode);
  });

  it('answers multiRead per op', () => {
    const t = testPipeline();
    const c = t.open();
    t.call(c, OpCode.create, 'CreateRequest', create('/r'));
    const r = t.multi(c, [
      { type: OpCode.getData, body: { path: '/r', watch: false } },
      { type: OpCode.getChildren, body: { path: '/nope', watch: false } },
    ], OpCode.multiRead);
    expect(r.results.map((x) => x.err)).toEqual([0, Code.NoNode]);
  });
});

describe("pipeline: jute's null in request fields, answered as ZooKeeper 3.8 does", () => {
  const NUL = null as unknown as string;

  it("expands an auth ACL whose id is null after addAuth digest (kazoo's auth:'')", () => {
    const t = testPipeline();
    const c = t.open();
    t.pipeline.request(c, Xid.auth, OpCode.auth, new JuteReader(encode('AuthPacket', { type: 0, scheme: 'digest', auth: data('alice:pw') })));
    expect(header.decode(new JuteReader(c.frames.shift()!, 4)).err).toBe(0);
    const acl = [{ perms: 31, id: { scheme: 'auth', id: NUL } }];
    expect(t.call(c, OpCode.create, 'CreateRequest', { path: '/k', data: null, acl, flags: 0 }).err).toBe(0);
    const got = t.call(c, OpCode.getACL, 'GetACLRequest', { path: '/k' }, 'GetACLResponse');
    expect(got.res!.acl).toEqual([{ perms: 31, id: { scheme: 'digest', id: digestOf('alice:pw') } }]);
  });

  it('answers a null path per op: BadArguments where the path is validated, else MarshallingError', () => {
    const t = testPipeline();
    const c = t.open();
    const setData = t.call(c, OpCode.setData, 'SetDataRequest', { path: NUL, data: null, version: -1 });
    expect(setData.err).toBe(Code.BadArguments);
    const del = t.call(c, OpCode.delete, 'DeleteRequest', { path: NUL, version: -1 });
    expect(del).toEqual({ err: Code.MarshallingError, zxid: setData.zxid + 1, res: undefined });
    expect(t.call(c, OpCode.getData, 'GetDataRequest', { path: NUL, watch: true })).toMatchObject({ err: Code.MarshallingError, zxid: del.zxid });
    const sync = t.send(c, OpCode.sync, encode('SyncRequest', { path: NUL }));
    expect(codec('SyncResponse').decodeWire(sync.body)).toEqual({ path: null });
    const ephemerals = t.call(c, OpCode.getEphemerals, 'GetEphemeralsRequest', { prefixPath: NUL }, 'GetEphemeralsResponse');
    expect(ephemerals.res).toEqual({ ephemerals: [] });
  });

  it('fails a multi with a null path before it takes a zxid, and keeps the multiRead results before one', () => {
    const t = testPipeline();
    const c = t.open();
    const before = t.call(c, OpCode.create, 'CreateRequest', create('/m'));
    const m = t.send(c, OpCode.multi, multiBody([{ type: OpCode.create, body: create('/x') }, { type: OpCode.check, body: { path: null, version: -1 } }]));
    expect(m.header).toMatchObject({ err: Code.MarshallingError, zxid: before.zxid });
    expect(decodeMultiResponse(m.body)).toEqual([]);
    expect(t.call(c, OpCode.create, 'CreateRequest', create('/y')).zxid).toBe(before.zxid + 1);
    const read = t.send(c, OpCode.multiRead, multiBody([
      { type: OpCode.getData, body: { path: '/m', watch: false } },
      { type: OpCode.getData, body: { path: null, watch: false } },
      { type: OpCode.getData, body: { path: '/m', watch: false } },
    ]));
    expect(read.header.err).toBe(Code.MarshallingError);
    expect(decodeMultiResponse(read.body).map((r) => r.type)).toEqual([OpCode.getData]);
  });

  it('refuses digest credentials that are null, and hangs up on a null SASL token', () => {
    const t = testPipeline();
    const c = t.open();
    t.pipeline.request(c, Xid.auth, OpCode.auth, new JuteReader(encode('AuthPacket', { type: 0, scheme: 'digest', auth: null })));
    expect(header.decode(new JuteReader(c.frames[0]!, 4)).err).toBe(Code.AuthFailed);
    expect(c.closed).toMatch(/authentication failed/);
    const s = t.open();
    t.pipeline.request(s, 1, OpCode.sasl, new JuteReader(encode('GetSASLRequest', { token: null })));
    expect([s.frames.length, s.closed]).toEqual([0, 'malformed sasl request']);
  });
});

describe('pipeline: sessions, containers and TTLs on a manual clock', () => {
  it('expires a silent session and deletes its ephemerals, telling watchers', () => {
    const t = testPipeline(100);
    const owner = t.open(400);
    const watcher = t.open(10_000);
    t.call(owner, OpCode.create, 'CreateRequest', create('/eph', CreateMode.EPHEMERAL));
    t.call(watcher, OpCode.exists, 'ExistsRequest', { path: '/eph', watch: true });
    t.clock.advance(300);
    t.pipeline.expireSessions();
    expect(owner.closed).toBeNull();
    t.clock.advance(300);
    t.pipeline.expireSessions();
    expect(owner.closed).toBe('session expired');
    expect(watcher.events).toEqual([{ type: EventType.NodeDeleted, state: 3, path: '/eph' }]);
  });

  it('refuses a reconnect with a wrong password with a zero timeout', () => {
    const t = testPipeline();
    const c = t.open();
    const again = new (c.constructor as new () => typeof c)();
    t.pipeline.connect(again, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 1000, sessionId: c.session!.id, passwd: Buffer.alloc(16, 7) }, undefined);
    expect(again.closed).toBe('invalid or expired session');
    // As ZooKeeper, the attempt closed the session's open connection before the password check.
    expect(c.closed).toBe('session reconnected on another connection');
    const nullPasswd = new (c.constructor as new () => typeof c)();
    t.pipeline.connect(nullPasswd, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 1000, sessionId: c.session!.id, passwd: null }, undefined);
    expect(nullPasswd.closed).toBe('invalid or expired session');
  });

  it('reaps containers that had children and TTL nodes past their TTL', () => {
    const t = testPipeline();
    const c = t.open();
    t.call(c, OpCode.createContainer, 'CreateRequest', create('/box', CreateMode.CONTAINER));
    t.call(c, OpCode.createContainer, 'CreateRequest', create('/virgin', CreateMode.CONTAINER));
    t.call(c, OpCode.create, 'CreateRequest', create('/box/item'));
    t.call(c, OpCode.createTTL, 'CreateTTLRequest', { ...create('/ttl', CreateMode.PERSISTENT_WITH_TTL), ttl: 500 });
    expect(t.pipeline.reapContainers()).toBe(0);
    t.call(c, OpCode.delete, 'DeleteRequest', { path: '/box/item', version: -1 });
    expect(t.pipeline.reapContainers()).toBe(1);
    t.clock.advance(501);
    expect(t.pipeline.reapContainers()).toBe(1);
    expect(t.pipeline.tree.getNode('/ttl')).toBeUndefined();
    expect(t.pipeline.tree.getNode('/virgin')).toBeDefined();
  });
});
