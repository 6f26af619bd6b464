import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient, type Stat } from '@paddock/coord-client';
import { JuteReader } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { DIGEST_VERSION, TreeDigest, treeDigest } from '../../packages/coord-server/src/quorum/sync/digest.js';
import { PacketType } from '../../packages/coord-server/src/quorum/wire/packet-types.js';
import { QuorumPacketDecoder, type QuorumInput, encodeQuorumPacket, encodeSnapshotSection } from '../../packages/coord-server/src/quorum/wire/quorum-packet.js';
import { readZkSnapFile, zkSnapFileChunks, zkSnapFileName } from '../../packages/coord-server/src/quorum/sync/zk-snap-file.js';
import { readZkSnapshot } from '../../packages/coord-server/src/quorum/sync/zk-snapshot-reader.js';
import { type ZkTxn, decodeZkTxn, zkTxnBytes } from '../../packages/coord-server/src/quorum/wire/zk-txn.js';
import { SessionTracker } from '../../packages/coord-server/src/session/session-tracker.js';
import { sessionPassword } from '../../packages/coord-server/src/session/session-password.js';
import { type ApplyTarget, applyTxn } from '../../packages/coord-server/src/txn/apply.js';
import { DataTree } from '../../packages/coord-server/src/tree/data-tree.js';
import { NO_WATCH_SINK, WatchManager } from '../../packages/coord-server/src/watch/watch-manager.js';
import { type PeerServer, fourLetter, skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';
import { type NodeView, everyKindOfChange, readTree, viewOf } from './workload.js';
import { newestSnapshot, readTxnLogs } from './zk-txn-log.js';

/** ZooKeeper reaps containers every 100 ms here, so the workload sees a deleteContainer txn. */
const ZK_OPTIONS = { containerCheckIntervalMs: 100 } as const;
const DIGEST_AUTH = { scheme: 'digest', auth: 'alice:secret' } as const;
/** FileHeader: magic, version, dbid. */
const FILE_HEADER_BYTES = 16;

function freshTarget(): ApplyTarget {
  return {
    tree: new DataTree(), sessions: new SessionTracker(2000, new ManualClock(), 1),
    dataWatches: new WatchManager(NO_WATCH_SINK), childWatches: new WatchManager(NO_WATCH_SINK),
  };
}

/** A readable diff of two views: the paths whose node differs, with both sides. */
function differences(ours: Map<string, NodeView>, theirs: Map<string, NodeView>): string[] {
  const out: string[] = [];
  for (const path of new Set([...ours.keys(), ...theirs.keys()])) {
    const a = JSON.stringify(ours.get(path), bigintSafe);
    const b = JSON.stringify(theirs.get(path), bigintSafe);
    if (a !== b) out.push(`${path}\n  ours:      ${a}\n  zookeeper: ${b}`);
  }
  return out;
}

function bigintSafe(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `0x${BigInt.asUintN(64, v).toString(16)}` : v;
}

/** Writes our snapshot of `tree` where a ZooKeeper data dir expects it; `digestSkew` spoils its digest. */
function writeOurSnapshot(dataDir: string, target: ApplyTarget, digestSkew = 0n): void {
  const dir = join(dataDir, 'version-2');
  mkdirSync(dir, { recursive: true });
  const sessions = [...target.sessions.all()].map((s) => ({ id: s.id, timeout: s.timeout }));
  const zxid = target.tree.lastProcessedZxid;
  const digest = { zxid, version: DIGEST_VERSION, digest: treeDigest(target.tree) + digestSkew };
  writeFileSync(join(dir, zkSnapFileName(zxid)), Buffer.concat([...zkSnapFileChunks(target.tree, sessions, digest)]));
}

/** ZooKeeper's count of digest mismatches (mntr), which it raises when a loaded snapshot's digest is not its tree's. */
async function digestMismatches(zk: PeerServer): Promise<number> {
  const found = /zk_digest_mismatches_count\s+(\d+)/.exec(await fourLetter(zk.port, 'mntr'));
  if (!found) throw new Error('mntr has no zk_digest_mismatches_count');
  return Number(found[1]);
}

describe.skipIf(skipWithoutZooKeeper('ZooKeeper txn and snapshot serialization'))('ZooKeeper 3.8 txns and snapshots', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'paddock-zkser-'));
    dirs.push(d);
    return d;
  };
  let zkDir: string;
  let entries: Buffer[];
  let decoded: ZkTxn[];
  /** What a client read from ZooKeeper once every change was made. */
  let clientView: Map<string, NodeView>;
  let replayed: ApplyTarget;

  beforeAll(async () => {
    zkDir = tempDir();
    const zk = await startZooKeeper({ ...ZK_OPTIONS, dataDir: zkDir });
    let open: CoordClient[] = [];
    try {
      open = await everyKindOfChange(zk.connectString);
      clientView = await readTree(open[0]!);
    } finally {
      await zk.stop();
      await Promise.all(open.map((c) => c.close()));
    }
    entries = readTxnLogs(zkDir);
  }, 90_000);

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('decodes every txn ZooKeeper logged and encodes it back to the same bytes', () => {
    expect(entries.length).toBeGreaterThan(25);
    decoded = entries.map((e) => decodeZkTxn(e));
    for (let i = 0; i < entries.length; i++) {
      expect(zkTxnBytes(decoded[i]!).toString('hex'), `entry ${i} (zxid 0x${decoded[i]!.txn.zxid.toString(16)})`).toBe(entries[i]!.toString('hex'));
    }
    const kinds = new Set(decoded.flatMap((d) => (d.txn.body.kind === 'multi' ? ['multi', ...d.txn.body.txns.map((t) => t.kind)] : [d.txn.body.kind])));
    expect([...kinds].sort()).toEqual(['check', 'closeSession', 'create', 'createSession', 'delete', 'error', 'multi', 'setACL', 'setData']);
    expect(decoded.some((d) => d.txn.body.kind === 'delete' && d.txn.body.op === 20)).toBe(true);
    // ZooKeeper stamps every txn with the tree's digest except a failed single op (an error
    // txn), whose prep threw before it computed one.
    for (const d of decoded) expect(d.digest?.version, `zxid 0x${d.txn.zxid.toString(16)}`).toBe(d.txn.body.kind === 'error' ? undefined : DIGEST_VERSION);
  });

  it('replays the log into our tree: after each txn our digest is the one ZooKeeper logged, and the tree is what a client read', () => {
    replayed = freshTarget();
    const digest = TreeDigest.of(replayed.tree);
    for (const d of decoded) {
      digest.track(replayed.tree, d.txn, () => applyTxn(replayed, d.txn));
      const at = `after zxid 0x${d.txn.zxid.toString(16)} (${d.txn.body.kind})`;
      expect(digest.value, at).toBe(treeDigest(replayed.tree));
      if (d.digest) expect(digest.value, at).toBe(d.digest.treeDigest);
    }
    expect(differences(viewOf(replayed.tree), clientView)).toEqual([]);
  });

  it('reads the snapshot ZooKeeper writes when it restarts, from its file and as a SNAP stream, into the tree a client read', async () => {
    const zk = await startZooKeeper({ ...ZK_OPTIONS, dataDir: zkDir });
    await zk.stop();
    const { file, zxid } = newestSnapshot(zkDir);
    expect(zxid).toBe(decoded.at(-1)!.txn.zxid);
    const bytes = readFileSync(file);
    const snap = readZkSnapFile(bytes);
    expect(differences(viewOf(snap.tree), clientView)).toEqual([]);
    // The file's body is what a 3.8 leader streams after SNAP: read it as a learner would, in pieces.
    const body = new JuteReader(bytes, FILE_HEADER_BYTES);
    readZkSnapshot(body);
    const snapPacket = encodeQuorumPacket({ type: PacketType.SNAP, zxid, data: null, authinfo: null });
    const stream = Buffer.concat([snapPacket, encodeSnapshotSection(bytes.subarray(FILE_HEADER_BYTES, body.offset))]);
    const decoder = new QuorumPacketDecoder('learner');
    const inputs: QuorumInput[] = [];
    for (let at = 0; at < stream.length; at += 1000) inputs.push(...decoder.push(stream.subarray(at, at + 1000)));
    const synced = readZkSnapshot(new JuteReader((inputs[1] as { snapshot: Buffer }).snapshot));
    expect(differences(viewOf(synced.tree), clientView)).toEqual([]);
    expect(snap.digest).toEqual({ zxid, version: DIGEST_VERSION, digest: treeDigest(snap.tree) });
    const sessions = (list: Iterable<{ id: bigint; timeout: number }>) => [...list].map((s) => `${s.id}:${s.timeout}`).sort();
    expect(sessions(snap.sessions)).toEqual(sessions(replayed.sessions.all()));
    expect(snap.sessions.length).toBe(2);
  }, 60_000);

  it('ZooKeeper loads a snapshot file we wrote: same data, stat and ACL, live sessions resume, no digest mismatch', async () => {
    const dataDir = tempDir();
    writeOurSnapshot(dataDir, replayed);
    const zk: PeerServer = await startZooKeeper({ ...ZK_OPTIONS, dataDir });
    try {
      const reader = await CoordClient.connect(zk.connectString, { authInfo: [DIGEST_AUTH] });
      try {
        expect(differences(await readTree(reader), clientView)).toEqual([]);
      } finally {
        await reader.close();
      }
      // The session that owns /app/kept, resumed with the password we derive for it.
      const owner = clientView.get('/app/kept')!.stat.ephemeralOwner;
      const resumed = await CoordClient.connect(zk.connectString, { sessionId: owner, sessionPassword: sessionPassword(owner) });
      try {
        expect(resumed.sessionId).toBe(owner);
        const stat: Stat | null = await resumed.exists('/app/kept');
        expect(stat?.ephemeralOwner).toBe(owner);
      } finally {
        await resumed.close();
      }
      expect(await digestMismatches(zk)).toBe(0);
    } finally {
      await zk.stop();
    }
  }, 60_000);

  it('can fail that digest check: ZooKeeper counts a mismatch for our snapshot with its digest off by one', async () => {
    const dataDir = tempDir();
    writeOurSnapshot(dataDir, replayed, 1n);
    const zk = await startZooKeeper({ ...ZK_OPTIONS, dataDir });
    try {
      expect(await digestMismatches(zk)).toBe(1);
    } finally {
      await zk.stop();
    }
  }, 60_000);
});
