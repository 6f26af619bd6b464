import { createHash } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { PeerServer } from '../support/zookeeper.js';
import { NzcSession, codeOf, long, watcher, within, WAIT_MS } from './node-zookeeper-client.harness.js';

const { ACL, CreateMode, Event, Exception, Id, Permission } = zookeeper;

/**
 * What node-zookeeper-client (a third-party pure-JS client) sees from a server. The same
 * expectations run against Apache ZooKeeper 3.8, which proves them, and against ours.
 */
export function nodeZookeeperClientSuite(start: () => Promise<PeerServer>): void {
  let peer: PeerServer;
  const open: NzcSession[] = [];

  beforeAll(async () => { peer = await start(); });
  afterAll(async () => { await peer?.stop(); });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)));
  });

  async function session(auth?: { scheme: string; auth: string }): Promise<NzcSession> {
    const s = await NzcSession.connect(peer.connectString, auth);
    open.push(s);
    return s;
  }

  /** Closes a session the test wants gone now (not at afterEach). */
  async function closeNow(s: NzcSession): Promise<void> {
    open.splice(open.indexOf(s), 1);
    await s.close();
  }

  const data = (s: string): Buffer => Buffer.from(s);

  it('connects and gets a session id, password and negotiated timeout', async () => {
    const zk = await session();
    expect(zk.client.getState().code).toBe(zookeeper.State.SYNC_CONNECTED.code);
    expect(zk.sessionId()).not.toBe(0n);
    expect(zk.client.getSessionPassword().length).toBe(16);
    expect(zk.client.getSessionTimeout()).toBe(10_000);
    const other = await session();
    expect(other.sessionId()).not.toBe(zk.sessionId());
  });

  it('creates nodes in every CreateMode it supports, sequential suffix from the parent cversion', async () => {
    const zk = await session();
    expect(await zk.create('/modes')).toBe('/modes');
    expect(await zk.create('/modes/p', data('p'))).toBe('/modes/p');
    expect(await zk.create('/modes/e', data('e'), CreateMode.EPHEMERAL)).toBe('/modes/e');
    expect(await zk.create('/modes/ps-', undefined, CreateMode.PERSISTENT_SEQUENTIAL)).toBe('/modes/ps-0000000002');
    expect(await zk.create('/modes/es-', undefined, CreateMode.EPHEMERAL_SEQUENTIAL)).toBe('/modes/es-0000000003');
    // Observed on ZooKeeper 3.8: a delete bumps the parent's cversion and pzxid, yet the next
    // sequential suffix does not count deletes (here 4, while cversion is 5).
    const before = await zk.exists('/modes');
    await zk.remove('/modes/p');
    const after = await zk.exists('/modes');
    expect([before?.cversion, after?.cversion, after?.numChildren]).toEqual([4, 5, 3]);
    expect(long(after!.pzxid)).toBeGreaterThan(long(before!.pzxid));
    expect(await zk.create('/modes/ps-', undefined, CreateMode.PERSISTENT_SEQUENTIAL)).toBe('/modes/ps-0000000004');

    const { children, stat } = await zk.getChildren('/modes');
    expect(children.sort()).toEqual(['e', 'es-0000000003', 'ps-0000000002', 'ps-0000000004']);
    expect(stat.cversion).toBe(6);
    expect(stat.numChildren).toBe(4);
    const e = await zk.exists('/modes/e');
    expect(e && long(e.ephemeralOwner)).toBe(zk.sessionId());
    const ps = await zk.exists('/modes/ps-0000000002');
    expect(ps && long(ps.ephemeralOwner)).toBe(0n);
    expect(await codeOf(zk.create('/modes/e'))).toBe(Exception.NODE_EXISTS);
  });

  it('getData/setData carry data, Stat and versions', async () => {
    const zk = await session();
    const before = Date.now();
    await zk.create('/data', data('v0'));
    const got = await zk.getData('/data');
    expect(got.data?.toString()).toBe('v0');
    expect(got.stat).toMatchObject({ version: 0, cversion: 0, aversion: 0, dataLength: 2, numChildren: 0 });
    expect(long(got.stat.mzxid)).toBe(long(got.stat.czxid));
    expect(long(got.stat.pzxid)).toBe(long(got.stat.czxid));
    expect(long(got.stat.ctime)).toBe(long(got.stat.mtime));
    // Same machine, same clock: ctime is "now", give or take a generous margin.
    expect(Math.abs(Number(long(got.stat.ctime)) - before)).toBeLessThan(10 * 60_000);

    const s1 = await zk.setData('/data', data('v1'), 0);
    expect(s1.version).toBe(1);
    expect(long(s1.mzxid)).toBeGreaterThan(long(s1.czxid));
    expect(long(s1.ctime)).toBe(long(got.stat.ctime));
    expect(await codeOf(zk.setData('/data', data('stale'), 0))).toBe(Exception.BAD_VERSION);
    const s2 = await zk.setData('/data', data('v2'), -1);
    expect(s2.version).toBe(2);
    expect((await zk.getData('/data')).data?.toString()).toBe('v2');

    await zk.create('/data/empty');
    expect((await zk.getData('/data/empty')).data).toBeUndefined(); // created without data: null on the wire
    await zk.setData('/data/empty', Buffer.alloc(0));
    expect((await zk.getData('/data/empty')).data).toEqual(Buffer.alloc(0));

    const big = Buffer.alloc(512 * 1024, 7);
    await zk.setData('/data', big);
    const back = await zk.getData('/data');
    expect(back.stat.dataLength).toBe(big.length);
    expect(back.data?.equals(big)).toBe(true);
  });

  it('exists returns the Stat or null and its watcher fires on create and on change', async () => {
    const zk = await session();
    const writer = await session();
    const created = watcher('exists /ex');
    expect(await zk.exists('/ex', created.fn)).toBeNull();
    await writer.create('/ex', data('x'));
    const ev = await created.fired;
    expect([ev.getType(), ev.getPath()]).toEqual([Event.NODE_CREATED, '/ex']);

    const changed = watcher('exists /ex (data)');
    const stat = await zk.exists('/ex', changed.fn);
    expect(stat?.dataLength).toBe(1);
    await writer.setData('/ex', data('yy'));
    expect((await changed.fired).getType()).toBe(Event.NODE_DATA_CHANGED);
  });

  it('getChildren and getData watchers fire once on change and on delete', async () => {
    const zk = await session();
    const writer = await session();
    await zk.create('/w');
    const kids = watcher('children /w');
    expect((await zk.getChildren('/w', kids.fn)).children).toEqual([]);
    await writer.create('/w/a', data('a'));
    const kev = await kids.fired;
    expect([kev.getType(), kev.getPath()]).toEqual([Event.NODE_CHILDREN_CHANGED, '/w']);

    const dataWatch = watcher('data /w/a');
    await zk.getData('/w/a', dataWatch.fn);
    await writer.setData('/w/a', data('b'));
    expect((await dataWatch.fired).getType()).toBe(Event.NODE_DATA_CHANGED);

    const deleted = watcher('data /w/a (delete)');
    const kids2 = watcher('children /w (delete)');
    await zk.getData('/w/a', deleted.fn);
    await zk.getChildren('/w', kids2.fn);
    await writer.remove('/w/a');
    expect((await deleted.fired).getType()).toBe(Event.NODE_DELETED);
    expect((await kids2.fired).getType()).toBe(Event.NODE_CHILDREN_CHANGED);
  });

  it('bad versions, missing nodes and illegal shapes yield ZooKeeper error codes', async () => {
    const zk = await session();
    await zk.create('/err');
    await zk.create('/err/child', data('c'));
    await zk.create('/err/eph', undefined, CreateMode.EPHEMERAL);
    expect(await codeOf(zk.remove('/err/child', 7))).toBe(Exception.BAD_VERSION);
    expect(await codeOf(zk.remove('/err'))).toBe(Exception.NOT_EMPTY);
    expect(await codeOf(zk.remove('/err/none'))).toBe(Exception.NO_NODE);
    expect(await codeOf(zk.getData('/err/none'))).toBe(Exception.NO_NODE);
    expect(await codeOf(zk.setData('/err/none', data('x')))).toBe(Exception.NO_NODE);
    expect(await codeOf(zk.getChildren('/err/none'))).toBe(Exception.NO_NODE);
    expect(await codeOf(zk.getACL('/err/none'))).toBe(Exception.NO_NODE);
    expect(await codeOf(zk.create('/err/none/x'))).toBe(Exception.NO_NODE);
    expect(await codeOf(zk.create('/err/child'))).toBe(Exception.NODE_EXISTS);
    expect(await codeOf(zk.create('/err/eph/x'))).toBe(Exception.NO_CHILDREN_FOR_EPHEMERALS);
    expect(await codeOf(zk.setData('/err/child', data('x'), 3))).toBe(Exception.BAD_VERSION);
    expect(await codeOf(zk.create('/err/noacl', undefined, CreateMode.PERSISTENT, ACL.CREATOR_ALL_ACL)))
      .toBe(Exception.INVALID_ACL);
    await zk.remove('/err/child', 0);
    expect(await zk.exists('/err/child')).toBeNull();
    // The session survives all of the above.
    expect((await zk.getChildren('/err')).children).toEqual(['eph']);
  });

  it('a transaction commits all of its ops atomically', async () => {
    const zk = await session();
    // node-zookeeper-client turns version 0 into -1 in transactions, so versions here start at 1.
    const { error, results } = await zk.commit((t) => t
      .create('/txn')
      .create('/txn/1', data('one'))
      .create('/txn/seq-', data('s'), ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL)
      .setData('/txn/1', data('two'))
      .check('/txn/1', 1)
      .setData('/txn/1', data('three'), 1)
      .remove('/txn/seq-0000000001'));
    expect(error).toBeNull();
    expect(results.map((r) => r.type)).toEqual([1, 1, 1, 5, 13, 5, 2]);
    expect(results.slice(0, 3).map((r) => r.path)).toEqual(['/txn', '/txn/1', '/txn/seq-0000000001']);
    expect(results[5]?.stat?.version).toBe(2);
    const got = await zk.getData('/txn/1');
    expect(got.data?.toString()).toBe('three');
    expect((await zk.getChildren('/txn')).children).toEqual(['1']);
  });

  it('a failed transaction applies nothing and reports the failing op', async () => {
    const zk = await session();
    await zk.create('/tx2', data('v'));
    const missing = await zk.commit((t) => t.create('/tx2/a').check('/tx2/none').create('/tx2/b'));
    expect(missing.error).toBeInstanceOf(Exception);
    expect((missing.error as InstanceType<typeof Exception>).getCode()).toBe(Exception.NO_NODE);
    expect(missing.results.map((r) => [r.type, r.err])).toEqual([[-1, 0], [-1, Exception.NO_NODE], [-1, -2]]);
    expect(await zk.exists('/tx2/a')).toBeNull();

    const stale = await zk.commit((t) => t.setData('/tx2', data('w')).setData('/tx2', data('x'), 5));
    expect((stale.error as InstanceType<typeof Exception>).getCode()).toBe(Exception.BAD_VERSION);
    const after = await zk.getData('/tx2');
    expect([after.data?.toString(), after.stat.version]).toEqual(['v', 0]);

    const dup = await zk.commit((t) => t.create('/tx2/c').create('/tx2/c'));
    expect((dup.error as InstanceType<typeof Exception>).getCode()).toBe(Exception.NODE_EXISTS);
    expect(await zk.exists('/tx2/c')).toBeNull();
  });

  it('ACLs: get, set with versions, enforcement, digest auth and ip', async () => {
    const zk = await session();
    await zk.create('/acl', data('a'));
    const initial = await zk.getACL('/acl');
    expect(initial.acls.map((a) => [a.permission, a.id.scheme, a.id.id])).toEqual([[31, 'world', 'anyone']]);
    expect(initial.stat.aversion).toBe(0);

    await zk.create('/acl/ro', data('r'));
    const readOnly = [new ACL(Permission.READ | Permission.ADMIN, new Id('world', 'anyone'))];
    expect(await codeOf(zk.setACL('/acl/ro', readOnly, 3))).toBe(Exception.BAD_VERSION);
    const s = await zk.setACL('/acl/ro', readOnly, 0);
    expect(s.aversion).toBe(1);
    expect((await zk.getACL('/acl/ro')).acls.map((a) => a.permission)).toEqual([17]);
    expect((await zk.getData('/acl/ro')).data?.toString()).toBe('r');
    expect(await codeOf(zk.setData('/acl/ro', data('w')))).toBe(Exception.NO_AUTH);
    expect(await codeOf(zk.create('/acl/ro/kid'))).toBe(Exception.NO_AUTH);

    const alice = await session({ scheme: 'digest', auth: 'alice:secret' });
    await alice.create('/acl/alice', data('private'), CreateMode.PERSISTENT, ACL.CREATOR_ALL_ACL);
    const digest = createHash('sha1').update('alice:secret').digest('base64');
    const got = await alice.getACL('/acl/alice');
    expect(got.acls.map((a) => [a.permission, a.id.scheme, a.id.id])).toEqual([[31, 'digest', `alice:${digest}`]]);
    // Since 3.6 reading an ACL needs READ or ADMIN on the node, like reading its data.
    expect(await codeOf(zk.getACL('/acl/alice'))).toBe(Exception.NO_AUTH);
    expect(await codeOf(zk.getData('/acl/alice'))).toBe(Exception.NO_AUTH);
    const alice2 = await session({ scheme: 'digest', auth: 'alice:secret' });
    expect((await alice2.getData('/acl/alice')).data?.toString()).toBe('private');

    const byIp = [new ACL(Permission.ALL, new Id('ip', '127.0.0.1'))];
    await zk.create('/acl/ip', data('i'), CreateMode.PERSISTENT, byIp);
    expect((await zk.getData('/acl/ip')).data?.toString()).toBe('i');
    const elsewhere = [new ACL(Permission.ALL, new Id('ip', '10.1.2.3'))];
    await zk.create('/acl/ip2', data('j'), CreateMode.PERSISTENT, elsewhere);
    expect(await codeOf(zk.getData('/acl/ip2'))).toBe(Exception.NO_AUTH);
  });

  it('mkdirp creates missing ancestors and tolerates existing ones', async () => {
    const zk = await session();
    expect(await zk.mkdirp('/mk/a/b/c', data('leaf'))).toBe('/mk/a/b/c');
    expect(await zk.mkdirp('/mk/a/b/c')).toBe('/mk/a/b/c');
    expect(await zk.mkdirp('/mk/a/x')).toBe('/mk/a/x');
    expect((await zk.getChildren('/mk/a')).children.sort()).toEqual(['b', 'x']);
    expect((await zk.getData('/mk/a/b/c')).data?.toString()).toBe('leaf');
  });

  it('listSubTreeBFS lists a node and its children; a getChildren walk sees the whole tree', async () => {
    const zk = await session();
    for (const p of ['/bfs/a/x', '/bfs/a/y', '/bfs/b', '/bfs/c/z/deep']) await zk.mkdirp(p);
    // node-zookeeper-client 1.1.3's listSubTreeBFS stops after the first level (its async.reduce
    // does not see the paths it appends), so it is checked for what it does return.
    const list = await zk.listSubTreeBFS('/bfs');
    expect(list[0]).toBe('/bfs');
    expect(list.slice(1).sort()).toEqual(['/bfs/a', '/bfs/b', '/bfs/c']);

    const seen: string[] = [];
    for (let queue = ['/bfs']; queue.length > 0;) {
      const path = queue.shift()!;
      seen.push(path);
      const { children, stat } = await zk.getChildren(path);
      expect(stat.numChildren).toBe(children.length);
      queue = queue.concat(children.sort().map((c) => `${path}/${c}`));
    }
    expect(seen).toEqual(['/bfs', '/bfs/a', '/bfs/b', '/bfs/c', '/bfs/a/x', '/bfs/a/y', '/bfs/c/z', '/bfs/c/z/deep']);

    await zk.removeRecursive('/bfs/a');
    expect(await zk.exists('/bfs/a')).toBeNull();
    expect((await zk.getChildren('/bfs')).children.sort()).toEqual(['b', 'c']);
  });

  it('closing a session removes its ephemerals and fires the watches on them', async () => {
    const owner = await session();
    const observer = await session();
    await observer.create('/eph');
    await owner.create('/eph/plain', data('p'), CreateMode.EPHEMERAL);
    const seq = await owner.create('/eph/seq-', data('s'), CreateMode.EPHEMERAL_SEQUENTIAL);
    await observer.create('/eph/keep');
    const gone = watcher('exists /eph/plain');
    const kids = watcher('children /eph');
    expect(await observer.exists('/eph/plain', gone.fn)).not.toBeNull();
    await observer.getChildren('/eph', kids.fn);
    await closeNow(owner);
    const ev = await gone.fired;
    expect([ev.getType(), ev.getPath()]).toEqual([Event.NODE_DELETED, '/eph/plain']);
    expect((await kids.fired).getType()).toBe(Event.NODE_CHILDREN_CHANGED);
    expect(await observer.exists(seq)).toBeNull();
    expect((await observer.getChildren('/eph')).children).toEqual(['keep']);
  });

  it('a dropped connection reattaches to the same session; ephemerals and watches survive', async () => {
    const zk = await session();
    const writer = await session();
    await zk.create('/re');
    await zk.create('/re/eph', undefined, CreateMode.EPHEMERAL);
    const id = zk.sessionId();
    const changed = watcher('data /re across a reconnect');
    await zk.getData('/re', changed.fn);
    await zk.dropConnection(); // the client re-sends its watches with setWatches
    expect(zk.sessionId()).toBe(id);
    await writer.setData('/re', data('after'));
    expect((await changed.fired).getType()).toBe(Event.NODE_DATA_CHANGED);
    const eph = await writer.exists('/re/eph');
    expect(eph && long(eph.ephemeralOwner)).toBe(id);
  });

  it('answers many pipelined requests in order', async () => {
    const zk = await session();
    await zk.create('/pipe');
    const paths = await within(Promise.all(Array.from({ length: 200 }, (_, i) =>
      zk.create('/pipe/n-', data(String(i)), CreateMode.PERSISTENT_SEQUENTIAL))), WAIT_MS, 'pipelined creates');
    expect(paths).toEqual(Array.from({ length: 200 }, (_, i) => `/pipe/n-${String(i).padStart(10, '0')}`));
    const { stat } = await zk.getChildren('/pipe');
    expect(stat.numChildren).toBe(200);
  });

  it('a chrooted client sees paths relative to its root', async () => {
    const zk = await session();
    await zk.create('/chroot');
    const rooted = await NzcSession.connect(`${peer.connectString}/chroot`);
    open.push(rooted);
    const w = watcher('chrooted children /');
    expect(await rooted.create('/inside', data('i'))).toBe('/inside');
    expect((await zk.getData('/chroot/inside')).data?.toString()).toBe('i');
    await rooted.getChildren('/', w.fn);
    await zk.create('/chroot/second');
    const ev = await w.fired;
    expect([ev.getType(), ev.getPath()]).toEqual([Event.NODE_CHILDREN_CHANGED, '/']);
  });
}
