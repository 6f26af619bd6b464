import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Code, Ids, OpCode } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { SessionTracker } from '../../session/session-tracker.js';
import { CONTAINER_OWNER, ttlOwner } from '../../tree/ephemeral-type.js';
import { DataTree } from '../../tree/data-tree.js';
import { type ApplyTarget, applyTxn } from '../../txn/apply.js';
import type { Txn, TxnBody } from '../../txn/txn.js';
import { NO_WATCH_SINK, WatchManager } from '../../watch/watch-manager.js';
import { TreeDigest, nodeDigest, treeDigest } from './digest.js';

/** The TxnDigest ZooKeeper 3.8 logged with its first createSession on a fresh data dir: the empty tree's digest. */
const EMPTY_TREE_DIGEST = 0x51c6d660n;
const S1 = 0x100000000000001n;
const S2 = 0x100000000000002n;

function target(): ApplyTarget {
  return {
    tree: new DataTree(), sessions: new SessionTracker(100, new ManualClock(), 1),
    dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK),
  };
}

const create = (path: string, parentCVersion: number, owner = 0n, op: number = OpCode.create): TxnBody =>
  ({ kind: 'create', op, path, data: Buffer.from(path), acl: Ids.OPEN_ACL_UNSAFE, owner, parentCVersion });

describe('ZooKeeper tree digest', () => {
  it('gives a fresh tree the digest ZooKeeper logged for its empty tree', () => {
    expect(treeDigest(new DataTree())).toBe(EMPTY_TREE_DIGEST);
    expect(TreeDigest.of(new DataTree()).value).toBe(EMPTY_TREE_DIGEST);
  });

  it('hashes the root as "" and counts /zookeeper but nothing below it', () => {
    const tree = new DataTree();
    const root = tree.getNode('/')!;
    const zk = tree.getNode('/zookeeper')!;
    expect(BigInt(nodeDigest('/', root) + nodeDigest('/zookeeper', zk))).toBe(EMPTY_TREE_DIGEST);
    // The root's hash: CRC32 of no path bytes, no data, and its 60 stat bytes (all zero).
    expect(nodeDigest('/', root)).toBe(crc32(Buffer.alloc(60)));
    tree.setData('/zookeeper/quota', Buffer.from('changed'), 3, 9, 9);
    expect(treeDigest(tree)).toBe(EMPTY_TREE_DIGEST);
    tree.setData('/zookeeper', Buffer.from('changed'), 3, 9, 9);
    expect(treeDigest(tree)).not.toBe(EMPTY_TREE_DIGEST);
  });

  it('hashes path, data and stat as one CRC run whatever their sizes (non-ASCII paths, no data, data past the scratch buffer)', () => {
    // DigestCalculator's bytes for one node, built the plain way: path, data, 60 stat bytes.
    const expected = (path: string, data: Buffer | null, stat: Buffer): number =>
      crc32(Buffer.concat([Buffer.from(path, 'utf8'), data ?? Buffer.alloc(0), stat]));
    const tree = new DataTree();
    const cases: [string, Buffer | null][] = [
      ['/a', Buffer.from('x')], [`/${'ünï😀'.repeat(200)}`, Buffer.alloc(100, 1)],
      ['/big', Buffer.alloc(5000, 7)], ['/empty', null], [`/${'p'.repeat(1400)}`, Buffer.alloc(10)],
    ];
    let zxid = 10;
    for (const [path, data] of cases) {
      tree.createNode(path, data ?? Buffer.alloc(0), Ids.OPEN_ACL_UNSAFE, 0n, -1, zxid, zxid * 1000);
      const node = tree.getNode(path)!;
      if (data === null) node.data = null;
      const stat = Buffer.alloc(60);
      for (const [i, v] of [node.czxid, node.mzxid, node.pzxid, node.ctime, node.mtime].entries()) stat.writeBigInt64BE(BigInt(v), i * 8);
      stat.writeInt32BE(node.version, 40);
      stat.writeInt32BE(node.cversion, 44);
      stat.writeInt32BE(node.aversion, 48);
      stat.writeBigInt64BE(node.ephemeralOwner, 52);
      expect(nodeDigest(path, node), path.slice(0, 20)).toBe(expected(path, node.data, stat));
      zxid++;
    }
  });

  it('keeps a maintained digest equal to a full recount through every kind of txn', () => {
    const t = target();
    const digest = TreeDigest.of(t.tree);
    const txns: TxnBody[] = [
      { kind: 'createSession', timeout: 1000, passwd: Buffer.alloc(16) },
      create('/a', 1),
      create('/a/b', 1),
      create('/a/e', 2, S1),
      create('/c', 2, CONTAINER_OWNER, OpCode.createContainer),
      create('/t', 3, ttlOwner(5000), OpCode.createTTL),
      { kind: 'setData', path: '/a', data: null, version: 1 },
      { kind: 'setACL', path: '/a/b', acl: Ids.READ_ACL_UNSAFE, version: 1 },
      { kind: 'multi', txns: [create('/c/x', 1), create('/c/y', 2), { kind: 'delete', path: '/a/b' }, { kind: 'check', path: '/a', version: 2 }] },
      { kind: 'multi', txns: [{ kind: 'error', err: Code.OK, undone: create('/z', 4) }, { kind: 'error', err: Code.NoNode }] },
      { kind: 'error', err: Code.NodeExists },
      { kind: 'closeSession', paths: ['/a/e'] },
      { kind: 'delete', path: '/c/x', op: OpCode.deleteContainer },
    ];
    txns.forEach((body, i) => {
      const txn: Txn = { zxid: i + 1, time: 1000 + i, sessionId: S1, body };
      digest.track(t.tree, txn, () => applyTxn(t, txn));
      expect(digest.value, `after txn ${i + 1} (${body.kind})`).toBe(treeDigest(t.tree));
    });
    expect(t.tree.getNode('/a/e')).toBeUndefined();
  });

  it('reuses the hash of the node it added last only while none of its hashed fields moved', () => {
    const t = target();
    const digest = TreeDigest.of(t.tree);
    let zxid = 0;
    const apply = (body: TxnBody): void => {
      const txn: Txn = { zxid: ++zxid, time: 5000 + zxid, sessionId: S1, body };
      digest.track(t.tree, txn, () => applyTxn(t, txn));
      expect(digest.value, `after txn ${zxid} (${body.kind})`).toBe(treeDigest(t.tree));
    };
    apply(create('/p', 1));
    apply(create('/p/c-0', 1));
    // The same node set over and over; a set to the same bytes still moves version and mzxid.
    for (let i = 0; i < 3; i++) apply({ kind: 'setData', path: '/p/c-0', data: Buffer.from('same'), version: i + 1 });
    // The parent is added last by each create and removed first by the next.
    for (let i = 1; i < 5; i++) apply(create(`/p/c-${i}`, i + 1));
    // Moved behind the digest's back (a replayed create carrying cversion and pzxid forward):
    // the next txn must hash it again, not take the kept hash.
    const parent = t.tree.getNode('/p')!;
    const before = treeDigest(t.tree);
    parent.cversion += 1;
    parent.pzxid = zxid + 100;
    const moved = treeDigest(t.tree) - before;
    const txn: Txn = { zxid: ++zxid, time: 9000, sessionId: S1, body: create('/p/c-9', parent.cversion + 1) };
    const kept = digest.value;
    digest.track(t.tree, txn, () => applyTxn(t, txn));
    // What the untracked change moved is not the digest's to know; the txn's own part must be exact.
    expect(BigInt.asIntN(64, digest.value - kept + moved)).toBe(BigInt.asIntN(64, treeDigest(t.tree) - before));
  });

  it('follows a closeSession that lists no paths to the ephemerals the tree holds for the session', () => {
    const t = target();
    const digest = TreeDigest.of(t.tree);
    const bodies: [bigint, TxnBody][] = [[S2, create('/e1', 1, S2)], [S2, create('/e2', 2, S2)], [S2, { kind: 'closeSession', paths: [], pathsUnlisted: true }]];
    bodies.forEach(([sessionId, body], i) => {
      const txn: Txn = { zxid: i + 1, time: i, sessionId, body };
      digest.track(t.tree, txn, () => applyTxn(t, txn));
    });
    expect(t.tree.getNode('/e1')).toBeUndefined();
    expect(digest.value).toBe(treeDigest(t.tree));
  });

  it('sums hashes exactly, read between changes or not', () => {
    const tree = new DataTree();
    const nodes = ['/', '/zookeeper'].map((p) => [p, tree.getNode(p)!] as const);
    const d = new TreeDigest(0x7ffffffffffffff0n);
    let expected = 0x7ffffffffffffff0n;
    for (let i = 0; i < 3000; i++) {
      const [path, node] = nodes[i % 2]!;
      const h = BigInt(nodeDigest(path, node));
      if (i % 3 === 2) {
        d.remove(path, node);
        expected -= h;
      } else {
        d.add(path, node);
        expected += h;
      }
      if (i % 7 === 0) expect(d.value).toBe(BigInt.asIntN(64, expected));
    }
    expect(d.value).toBe(BigInt.asIntN(64, expected));
  });

  it('wraps as a Java long', () => {
    const d = new TreeDigest();
    const tree = new DataTree();
    d.remove('/', tree.getNode('/')!);
    expect(d.value).toBe(-BigInt(nodeDigest('/', tree.getNode('/')!)));
    expect(new TreeDigest(0x7fffffffffffffffn + 1n).value).toBe(-0x8000000000000000n);
  });
});
