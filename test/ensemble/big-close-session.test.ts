import { afterEach, describe, expect, it } from 'vitest';
import { CoordClient, CreateMode } from '@paddock/coord-client';
import { type PaddockEnsemble, startPaddockEnsemble } from './support/suite-ensemble.js';

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

afterEach(async () => {
  await ensemble?.stop();
  ensemble = undefined;
});

describe('a session whose closeSession txn is over 2 MB', () => {
  it('ends without taking a server down, and its ephemerals go everywhere', async () => {
    ensemble = await startPaddockEnsemble(3, { tickTime: 200 });
    const owner = await CoordClient.connect(ensemble.connectString, { sessionTimeout: 4000 });
    await owner.create('/big-close');
    for (let i = 0; i < NODES; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => owner.create(`/big-close/${NAME}${i + j}`, null, { mode: CreateMode.EPHEMERAL })));
    }
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
