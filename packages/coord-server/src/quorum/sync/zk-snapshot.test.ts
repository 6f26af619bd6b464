import { describe, expect, it } from 'vitest';
import { type ACL, Ids, JuteReader, JuteWriter, OpCode } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { SessionTracker } from '../../session/session-tracker.js';
import { CONTAINER_OWNER, ttlOwner } from '../../tree/ephemeral-type.js';
import { DataTree } from '../../tree/data-tree.js';
import { type ApplyTarget, applyTxn } from '../../txn/apply.js';
import type { TxnBody } from '../../txn/txn.js';
import { NO_WATCH_SINK, WatchManager } from '../../watch/watch-manager.js';
import { treeDigest } from './digest.js';
import { PacketType } from '../wire/packet-types.js';
import { QuorumPacketDecoder, type QuorumInput, encodeQuorumPacket } from '../wire/quorum-packet.js';
import { snapSyncChunks } from './snap-sync.js';
import { readZkSnapFile, zkSnapFileChunks, zkSnapFileName } from './zk-snap-file.js';
import { readZkSnapshot } from './zk-snapshot-reader.js';
import { zkSnapshotChunks } from './zk-snapshot.js';

const S1 = 0x100000000000001n;
const S2 = 0x100000000000002n;
const DIGEST_ACL: ACL[] = [{ perms: 31, id: { scheme: 'digest', id: 'u:hash' } }, { perms: 1, id: { scheme: 'world', id: 'anyone' } }];

/** A tree with every kind of node, ACLs shared and not, and two sessions. */
function sampleTree(extraNodes = 0): ApplyTarget {
  const t: ApplyTarget = {
    tree: new DataTree(), sessions: new SessionTracker(100, new ManualClock(), 1),
    dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK),
  };
  const bodies: [bigint, TxnBody][] = [
    [S1, { kind: 'createSession', timeout: 4000, passwd: Buffer.alloc(16) }],
    [S2, { kind: 'createSession', timeout: 9000, passwd: Buffer.alloc(16) }],
  ];
  const create = (path: string, cv: number, acl: readonly ACL[], owner = 0n, op: number = OpCode.create, data: Buffer | null = Buffer.from(path)): TxnBody =>
    ({ kind: 'create', op, path, data, acl, owner, parentCVersion: cv });
  bodies.push(
    [S1, create('/a', 1, Ids.OPEN_ACL_UNSAFE)],
    [S1, create('/a/b', 1, DIGEST_ACL, 0n, OpCode.create, null)],
    [S1, create('/a/e', 2, Ids.OPEN_ACL_UNSAFE, S1)],
    [S2, create('/c', 2, DIGEST_ACL, CONTAINER_OWNER, OpCode.createContainer)],
    [S2, create('/t', 3, Ids.READ_ACL_UNSAFE, ttlOwner(1234), OpCode.createTTL, Buffer.alloc(0))],
    [S2, create('/zookeeper/quota/a', 1, Ids.OPEN_ACL_UNSAFE)],
    [S1, { kind: 'setData', path: '/a', data: Buffer.from('ü'), version: 1 }],
  );
  for (let i = 0; i < extraNodes; i++) bodies.push([S1, create(`/c/n${i}`, i + 1, i % 2 ? DIGEST_ACL : Ids.OPEN_ACL_UNSAFE, 0n, OpCode.create, Buffer.alloc(i % 50, i))]);
  bodies.forEach(([sessionId, body], i) => applyTxn(t, { zxid: i + 1, time: 1_700_000_000_000 + i, sessionId, body }));
  return t;
}

function sessionsOf(t: ApplyTarget) {
  return [...t.sessions.all()].map((s) => ({ id: s.id, timeout: s.timeout }));
}

/** Every node's fields and the tree's indexes, comparable with toEqual. */
function snapshotOf(tree: DataTree) {
  return {
    nodes: [...tree.entries()].map(([path, n]) => ({ path, ...n.stat(), data: n.data, acl: n.acl, owner: n.ephemeralOwner, storedCversion: n.cversion })).sort((x, y) => x.path.localeCompare(y.path)),
    ephemerals: [...tree.allEphemerals()].map(([id, paths]) => [id, [...paths]]),
    containers: [...tree.containers],
    ttls: [...tree.ttls],
    size: tree.approximateDataSize,
  };
}

/** A snapshot body written by hand: a session count, the ACL map, then [path, aclId] nodes (czxid given, the rest 0). */
function handmade(acls: [bigint, ACL[]][], nodes: [string, bigint][], sessionCount?: number, czxid = 0): Buffer {
  const w = new JuteWriter();
  w.int(sessionCount ?? 0);
  w.int(acls.length);
  for (const [id, list] of acls) {
    w.id(id);
    w.int(list.length);
    for (const a of list) { w.int(a.perms); w.ustring(a.id.scheme); w.ustring(a.id.id); }
  }
  for (const [path, aclId] of nodes) {
    w.ustring(path); w.buffer(null); w.id(aclId);
    w.long(path === '' ? 0 : czxid);
    for (let i = 0; i < 3; i++) w.long(0);
    w.int(0); w.int(0); w.int(0); w.long(0); w.long(0);
  }
  w.ustring('/');
  return w.take();
}

describe('ZooKeeper snapshot serialization', () => {
  it('reads back every node, index and session it writes, streamed in bounded chunks', () => {
    const t = sampleTree(400);
    const chunks = [...zkSnapshotChunks(t.tree, sessionsOf(t), 512)];
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) expect(c.length).toBeLessThan(512 + 200);
    const back = readZkSnapshot(new JuteReader(Buffer.concat(chunks)));
    expect(snapshotOf(back.tree)).toEqual(snapshotOf(t.tree));
    expect(back.sessions).toEqual(sessionsOf(t));
    expect(back.tree.ephemeralsOf(S1)).toEqual(['/a/e']);
    expect(treeDigest(back.tree)).toBe(treeDigest(t.tree));
  });

  it('writes the root as "" and numbers each distinct ACL list once', () => {
    const t = sampleTree();
    const r = new JuteReader(Buffer.concat([...zkSnapshotChunks(t.tree, [])]));
    expect(r.int()).toBe(0);
    expect(r.int()).toBe(3); // open, read-only (/zookeeper/config and /t), digest
    for (let i = 0; i < 3; i++) { r.id(); const n = r.int(); for (let j = 0; j < n; j++) { r.int(); r.ustring(); r.ustring(); } }
    expect(r.ustringOrNull()).toBe('');
  });

  it('streams a SNAP as a 3.8 leader does, the body then "BenWasHere", which a learner reads however the socket splits it', () => {
    const t = sampleTree(30);
    const snap = encodeQuorumPacket({ type: PacketType.SNAP, zxid: 7, data: null, authinfo: null });
    const next = encodeQuorumPacket({ type: PacketType.NEWLEADER, zxid: 8, data: null, authinfo: null });
    const stream = Buffer.concat([snap, ...snapSyncChunks(t.tree, sessionsOf(t)), next]);
    for (const piece of [stream.length, 4096, 100, 7, 1]) {
      const decoder = new QuorumPacketDecoder('learner');
      const inputs: QuorumInput[] = [];
      for (let at = 0; at < stream.length; at += piece) inputs.push(...decoder.push(stream.subarray(at, at + piece)));
      expect(inputs.map((i) => (i.kind === 'packet' ? i.packet.type : 'snapshot')), `pieces of ${piece} bytes`).toEqual([PacketType.SNAP, 'snapshot', PacketType.NEWLEADER]);
      const read = readZkSnapshot(new JuteReader((inputs[1] as { snapshot: Buffer }).snapshot));
      expect(snapshotOf(read.tree)).toEqual(snapshotOf(t.tree));
      expect(read.sessions).toEqual(sessionsOf(t));
    }
  });

  it('refuses a snapshot that says something impossible, naming it', () => {
    const orphan = handmade([], [['', -1n], ['/x/y', -1n]]);
    expect(() => readZkSnapshot(new JuteReader(orphan))).toThrow(/\/x\/y comes before its parent/);
    const negative = new JuteWriter(); negative.int(-3);
    expect(() => readZkSnapshot(new JuteReader(negative.take()))).toThrow(/-3/);
  });

  it('writes a snapshot file with its seals and digest, and refuses one whose bytes changed', () => {
    const t = sampleTree(20);
    const file = Buffer.concat([...zkSnapFileChunks(t.tree, sessionsOf(t))]);
    expect(file.subarray(0, 4).toString()).toBe('ZKSN');
    expect(file.subarray(file.length - 5).toString('hex')).toBe('000000012f');
    const back = readZkSnapFile(file);
    expect(snapshotOf(back.tree)).toEqual(snapshotOf(t.tree));
    expect(back.digest).toEqual({ zxid: t.tree.lastProcessedZxid, version: 2, digest: treeDigest(t.tree) });
    expect(zkSnapFileName(0x100000002)).toBe('snapshot.100000002');
    // Flip a data byte (the "ü" of /a), so the body still parses and only the checksum can tell.
    const bad = Buffer.from(file);
    bad[bad.indexOf(Buffer.from('ü')) + 1] ^= 1;
    expect(() => readZkSnapFile(bad)).toThrow(/checksum/);
    const noDigest = Buffer.concat([...zkSnapFileChunks(t.tree, sessionsOf(t), null)]);
    expect(readZkSnapFile(noDigest).digest).toBeNull();
    expect(() => readZkSnapFile(Buffer.concat([file, Buffer.alloc(1)]))).toThrow(/1 bytes after its last seal/);
    expect(() => readZkSnapFile(Buffer.from('ZKLGxxxxxxxxxxxx'))).toThrow(/magic 0x5a4b4c47 is not ZKSN/);
  });

  it('reads ACL id -1 as OPEN_ACL_UNSAFE, as ZooKeeper\'s root carries it', () => {
    const snap = readZkSnapshot(new JuteReader(handmade([], [['', -1n], ['/x', -1n]])));
    expect(snap.tree.getNode('/x')!.acl).toEqual(Ids.OPEN_ACL_UNSAFE);
  });

  it('refuses malformed snapshots, naming the node or count', () => {
    const open = Ids.OPEN_ACL_UNSAFE.map((a) => ({ ...a, id: { ...a.id } }));
    const cases: [Buffer, RegExp][] = [
      [handmade([[1n, open]], [['', 1n], ['/x/y', 1n]]), /\/x\/y comes before its parent/],
      [handmade([[1n, open]], [['', 1n], ['/x', 7n]]), /\/x refers to ACL id 7/],
      [handmade([[1n, open]], [['', 1n], ['x', 1n]]), /"x" is not a znode path/],
      [handmade([[1n, open]], [['', 1n], ['/x/', 1n]]), /"\/x\/" is not a znode path/],
      [handmade([[1n, open], [1n, open]], [['', 1n]]), /lists id 1 twice/],
      [handmade([], [], 0x7fffffff), /bad vector length 2147483647/],
      [handmade([[1n, open]], [['', 1n], ['/x', 1n]], 0, 2 ** 60), /\/x: czxid 0x1000000000000000 is beyond Number.MAX_SAFE_INTEGER/],
      [handmade([[1n, open]], [['', 1n]]).subarray(0, 40), /truncated/],
    ];
    for (const [bytes, message] of cases) expect(() => readZkSnapshot(new JuteReader(bytes))).toThrow(message);
  });

  it('fails, naming the node, when the tree takes a new ACL list after the ACL map went out', () => {
    const t = sampleTree(50);
    const chunks = zkSnapshotChunks(t.tree, [], 64);
    chunks.next();
    t.tree.setACL('/c/n49', [{ perms: 3, id: { scheme: 'ip', id: '10.0.0.1' } }], 1);
    expect(() => [...chunks]).toThrow(/\/c\/n49 took an ACL list after the snapshot's ACL map was written/);
  });
});
