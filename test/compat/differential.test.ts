import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { explainDifferences } from './explain.js';
import { runScenario } from './scenario-runner.js';
import { GROUPS } from './scenarios/index.js';
import { startOurs, startZooKeeperPeer } from './servers.js';

/**
 * The differential suite: every scenario runs against Apache ZooKeeper 3.8 and against our
 * server (both fresh for this file, both configured by COMPAT_CONFIG), and the normalized
 * transcripts must be equal. One test per scenario, so the count and the failures are visible.
 */

/** Null when our server starts, else why not (it is still being written while this suite grows). */
async function oursMissing(): Promise<string | null> {
  try {
    const probe = await startOurs();
    await probe.stop();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const SUITE = 'compat differential (ours vs Apache ZooKeeper 3.8)';
const zkSkip = skipWithoutZooKeeper(SUITE);
const whyOursMissing = zkSkip ? null : await oursMissing();
if (whyOursMissing !== null) console.warn(`[SKIP] ${SUITE}: our coordination server cannot start: ${whyOursMissing}`);

describe.skipIf(zkSkip || whyOursMissing !== null)(SUITE, () => {
  let zk: PeerServer;
  let ours: PeerServer;

  beforeAll(async () => {
    [zk, ours] = await Promise.all([startZooKeeperPeer(), startOurs()]);
  });

  afterAll(async () => {
    await Promise.all([zk?.stop(), ours?.stop()]);
  });

  for (const { group, scenarios } of GROUPS) {
    describe(group, () => {
      for (const sc of scenarios) {
        it(sc.name, async () => {
          const [theirs, mine] = await Promise.all([runScenario(zk, sc), runScenario(ours, sc)]);
          expect(mine, explainDifferences(theirs, mine)).toEqual(theirs);
        }, 60_000);
      }
    });
  }
});
