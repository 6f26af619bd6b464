import { afterEach, describe, expect, it } from 'vitest';
import { CoordClient, CreateMode } from '@paddock/coord-client';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';
import { MixedEnsemble } from './support/mixed.js';
import { mntrRow } from './support/mntr.js';
import { type PaddockEnsemble, startPaddockEnsemble } from './support/suite-ensemble.js';
import { childrenAt } from './support/tree-read.js';

// Found by the registry suite's scale test on an ensemble (issue 12): a session holding 10000
// ephemerals ends, its closeSession txn lists every path (ZooKeeper 3.8's CloseSessionTxn),
// 2.15 MB, and the leader's QuorumSocket.send throws QuorumWireError (over jute.maxbuffer +
// extrasize) out of LeaderRole.propose inside the pipeline's log stage: an uncaught exception,
// the leader process dies; the next leader expires the session and dies the same way.

/** 1100 paths of about 2000 bytes: a closeSession txn of about 2.2 MB, over the 2 MB bound. */
const NODES = 1100;
const NAME = 'n'.repeat(1990);
const BOUND_MS = 10_000;
let ensemble: PaddockEnsemble | undefined;
let mixed: MixedEnsemble | undefined;

afterEach(async () => {
  await ensemble?.stop();
  ensemble = undefined;
  await mixed?.stop();
  mixed = undefined;
});

/** A session on `connectString` holding NODES ephemerals under /big-close, of about 2000 bytes of path each. */
async function bigSession(connectString: string): Promise<CoordClient> {
  const owner = await CoordClient.connect(connectString, { sessionTimeout: 4000 });
  await owner.create('/big-close');
  for (let i = 0; i < NODES; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => owner.create(`/big-close/${NAME}${i + j}`, null, { mode: CreateMode.EPHEMERAL })));
  }
  return owner;
}

describe('a session whose closeSession txn is over 2 MB', () => {
  it('ends without taking a server down, and its ephemerals go everywhere', async () => {
    ensemble = await startPaddockEnsemble(3, { tickTime: 200 });
    const owner = await bigSession(ensemble.connectString);
    const pids = ensemble.members.map((m) => m.pid);
    await owner.close();
    await ensemble.serving(BOUND_MS);
    expect(ensemble.members.map((m) => m.pid), 'no member process died').toEqual(pids);
    for (const m of ensemble.members) {
      const c = await CoordClient.connect(`127.0.0.1:${m.clientPort}`, { sessionTimeout: 4000 });
      await c.sync('/big-close');
      expect(await c.getChildren('/big-close'), `member ${m.id}`).toEqual([]);
      await c.close();
    }
  }, 60_000);
});

// Issue 12: the same closeSession from a Paddock leader to ZooKeeper 3.8 followers. Without its
// list it is ZooKeeper's closeSession with no CloseSessionTxn (closeSessionTxn disabled, or a
// log from before 3.6), which ZooKeeper's DataTree applies by killing the ephemerals its own
// tree holds for the session; it has no digest either, so the txns after it prove the trees
// still agree: each ZooKeeper follower checks their digests against its own.
const SUITE = 'a closeSession too big to list its paths, from a Paddock leader to ZooKeeper 3.8 followers';
const skipMixed = skipWithoutZooKeeper(SUITE);

describe.skipIf(skipMixed)(SUITE, () => {
  it('each ZooKeeper follower drops the session\'s ephemerals, stays in the ensemble, and counts no digest mismatch', async () => {
    mixed = await MixedEnsemble.create(['zk', 'zk', 'paddock']);
    await mixed.startLed(3);
    const followers = [1, 2];
    const pids = followers.map((id) => mixed!.pid(id));
    const owner = await bigSession(mixed.connectString([3]));
    for (const id of followers) expect((await childrenAt(mixed.clientPort(id), '/big-close')).size, `ZooKeeper ${id} before`).toBe(NODES);
    await owner.close();
    // Txns after the close, each with our tree's digest, for the ZooKeeper followers to check.
    const writer = await CoordClient.connect(mixed.connectString([3]), { sessionTimeout: 4000 });
    for (let i = 0; i < 5; i++) await writer.create(`/after-close-${i}`, Buffer.from(String(i)));
    await writer.setData('/big-close', Buffer.from('emptied'));
    await writer.delete('/after-close-0');
    await writer.close();
    // Our leader never proposed the 2.2 MB list: its largest proposal was one create.
    expect(Number(await mntrRow(mixed.clientPort(3), 'max_proposal_size'))).toBeLessThan(4096);
    for (const id of followers) {
      expect([await mixed.mode(id), mixed.pid(id)], `ZooKeeper ${id} still follows, same process`).toEqual(['follower', pids[id - 1]]);
      expect(await childrenAt(mixed.clientPort(id), '/big-close'), `ZooKeeper ${id} after`).toEqual(new Set());
      expect(await mntrRow(mixed.clientPort(id), 'digest_mismatches_count'), `ZooKeeper ${id}`).toBe('0');
      expect(mixed.log(id)).toMatch(/zookeeper\.digest\.enabled = true/);
      expect(mixed.log(id)).not.toMatch(/Digests are not matching|First digest mismatch/);
    }
  }, 120_000);
});
