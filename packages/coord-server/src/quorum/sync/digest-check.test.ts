import { Ids, OpCode } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RecentTxns } from '../../persistence/recent-txns.js';
import { MemoryTxnLog } from '../../persistence/txn-log.js';
import { buildPipeline } from '../../pipeline/build-pipeline.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import { SessionTracker } from '../../session/session-tracker.js';
import { DataTree } from '../../tree/data-tree.js';
import { type ApplyTarget, applyTxn } from '../../txn/apply.js';
import type { Txn, TxnBody } from '../../txn/txn.js';
import { NO_WATCH_SINK, WatchManager } from '../../watch/watch-manager.js';
import { decodeZkTxn, zkTxnBytes } from '../wire/zk-txn.js';
import { DIGEST_VERSION, TreeDigest } from './digest.js';
import { DigestCheck, type DigestMismatchCounter } from './digest-check.js';

// A learner's apply path with the leader's TxnDigest (ZooKeeper 3.8's DataTree.compareDigest):
// the leader applies each txn to its own tree and stamps it with the digest after it; the
// learner reads the txn's bytes, applies it through its pipeline (a learner pipeline: commits
// in, apply, reply) or, before it serves, straight to its tree, then checks its digest.

const S1 = 0x100000000000001n;

interface LogLine { level: number; msg: string; zxid?: string; leaderDigest?: string; digest?: string }
const ERROR = 50;
const WARN = 40;

function target(tree = new DataTree()): ApplyTarget {
  return { tree, sessions: new SessionTracker(100, new ManualClock(), 1), dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK) };
}

/** A leader: applies txns in zxid order and sends each in ZooKeeper's serialization with its digest. */
class FakeLeader {
  readonly t = target();
  private readonly digest = TreeDigest.of(this.t.tree);
  private zxid = 0x100000000;

  send(body: TxnBody, sessionId = S1): Buffer {
    const txn: Txn = { zxid: ++this.zxid, time: 1_700_000_000_000 + this.zxid, sessionId, body };
    this.digest.track(this.t.tree, txn, () => applyTxn(this.t, txn));
    return zkTxnBytes({ txn, cxid: 1, digest: { version: DIGEST_VERSION, treeDigest: this.digest.value } });
  }
}

/** A learner serving clients: its pipeline applies commits and keeps the digest, which is checked after each. */
class FakeLearner {
  readonly stats: DigestMismatchCounter = { digestMismatches: 0 };
  readonly lines: LogLine[] = [];
  readonly check: DigestCheck;
  readonly pipeline: Pipeline;

  constructor() {
    const logger = pino({ level: 'info' }, { write: (s: string) => void this.lines.push(JSON.parse(s) as LogLine) });
    const tree = new DataTree();
    this.check = new DigestCheck(TreeDigest.of(tree), this.stats, logger);
    this.pipeline = buildPipeline({
      tickTime: 100, minSessionTimeout: 200, maxSessionTimeout: 2000, serverId: 2, extendedTypes: true,
      clock: new ManualClock(), log: new MemoryTxnLog(), logger, digest: this.check,
      forwarder: { forward: () => undefined, revalidate: () => undefined },
    }, { tree, sessions: new SessionTracker(100, new ManualClock(), 2), lastZxid: 0, snapshotZxid: 0, replayed: 0, truncated: null, recent: new RecentTxns(0) });
  }

  /** What LearnerRole does with a committed txn once it serves. */
  commit(bytes: Buffer, plant?: (d: { version: number; treeDigest: bigint }) => { version: number; treeDigest: bigint }): void {
    const { txn, cxid, digest } = decodeZkTxn(bytes);
    this.pipeline.learner!.committed(txn, cxid);
    this.check.check(txn.zxid, digest && plant ? plant(digest) : digest);
  }

  errors(): LogLine[] {
    return this.lines.filter((l) => l.level === ERROR);
  }
}

const create = (path: string, parentCVersion: number, owner = 0n): TxnBody =>
  ({ kind: 'create', op: OpCode.create, path, data: Buffer.from(path), acl: Ids.OPEN_ACL_UNSAFE, owner, parentCVersion });

describe('a learner checks the leader\'s digest after each txn', () => {
  it('counts a planted wrong digest once, logs one error naming the zxid and both digests, and goes on', () => {
    const leader = new FakeLeader();
    const learner = new FakeLearner();
    learner.commit(leader.send({ kind: 'createSession', timeout: 1000, passwd: Buffer.alloc(16) }));
    learner.commit(leader.send(create('/a', 1)));
    expect(learner.stats.digestMismatches).toBe(0);
    const planted = leader.send({ kind: 'setData', path: '/a', data: Buffer.from('x'), version: 1 });
    const zxid = decodeZkTxn(planted).txn.zxid;
    learner.commit(planted, (d) => ({ ...d, treeDigest: d.treeDigest + 1n }));
    expect(learner.stats.digestMismatches).toBe(1);
    const [line, ...more] = learner.errors();
    expect(more).toEqual([]);
    const ours = learner.check.value;
    expect(line).toMatchObject({ zxid: `0x${zxid.toString(16)}`, leaderDigest: String(ours + 1n), digest: String(ours) });
    expect(line!.msg).toBe(`Digest mismatch at zxid 0x${zxid.toString(16)}: the leader's tree digest is ${ours + 1n}, ours is ${ours}`);
    // The trees never diverged: the next txn agrees, the count stays, and the log says so.
    learner.commit(leader.send(create('/b', 2)));
    expect(learner.stats.digestMismatches).toBe(1);
    expect(learner.lines.filter((l) => l.level === WARN).map((l) => l.msg)).toEqual([`Digests agree again at zxid 0x${(zxid + 1).toString(16)} after 1 mismatches in a row`]);
    expect(learner.pipeline.tree.getNode('/a')!.data!.toString()).toBe('x');
  });

  it('a diverged tree mismatches on every later txn, each counted, as ZooKeeper counts them; the log stays bounded', () => {
    const leader = new FakeLeader();
    const learner = new FakeLearner();
    learner.commit(leader.send(create('/a', 1)));
    // A txn only the learner applied: from here on its tree is not the leader's.
    const stray: Txn = { zxid: 0x100000002, time: 1, sessionId: S1, body: create('/stray', 2) };
    learner.pipeline.learner!.committed(stray, 9);
    for (let i = 0; i < 1500; i++) learner.commit(leader.send({ kind: 'setData', path: '/a', data: Buffer.from(String(i)), version: i + 1 }));
    expect(learner.stats.digestMismatches).toBe(1500);
    const first = 0x100000002;
    expect(learner.errors().map((l) => l.msg.replace(/ is -?\d+, ours is -?\d+/, ''))).toEqual([
      `Digest mismatch at zxid 0x${first.toString(16)}: the leader's tree digest`,
      `Digest mismatch at zxid 0x${(first + 999).toString(16)}: the leader's tree digest (1000 in a row: the trees have diverged)`,
    ]);
  });

  it('before it serves (a DIFF sync) it applies to its tree directly and checks the same way', () => {
    const leader = new FakeLeader();
    const stats = { digestMismatches: 0 };
    const t = target();
    const check = new DigestCheck(TreeDigest.of(t.tree), stats, pino({ level: 'silent' }));
    for (const bytes of [leader.send(create('/a', 1)), leader.send(create('/a/b', 1)), leader.send({ kind: 'delete', path: '/a/b' })]) {
      const { txn, digest } = decodeZkTxn(bytes);
      check.track(t.tree, txn, () => applyTxn(t, txn));
      check.check(txn.zxid, digest);
    }
    expect(stats.digestMismatches).toBe(0);
    const { txn, digest } = decodeZkTxn(leader.send(create('/c', 3)));
    check.track(t.tree, txn, () => applyTxn(t, txn));
    check.check(txn.zxid, { version: digest!.version, treeDigest: 0n });
    expect(stats.digestMismatches).toBe(1);
  });

  it('skips what ZooKeeper skips: a txn without a digest, and a digest of another version (one warning)', () => {
    const leader = new FakeLeader();
    const learner = new FakeLearner();
    const bare = decodeZkTxn(leader.send(create('/a', 1)));
    learner.pipeline.learner!.committed(bare.txn, bare.cxid);
    learner.check.check(bare.txn.zxid, undefined);
    learner.commit(leader.send(create('/b', 2)), (d) => ({ version: 3, treeDigest: d.treeDigest + 1n }));
    learner.commit(leader.send(create('/c', 3)), (d) => ({ version: 1, treeDigest: d.treeDigest + 1n }));
    expect(learner.stats.digestMismatches).toBe(0);
    expect(learner.lines.filter((l) => l.level === WARN).map((l) => l.msg)).toEqual(['Digest version 3 is not ours (2): the leader\'s digests are not checked']);
    // Checking is on: the first checked txn says so once.
    learner.commit(leader.send(create('/d', 4)));
    expect(learner.lines.filter((l) => l.msg.startsWith('The leader sends tree digests'))).toHaveLength(1);
  });
});
