import { describe, expect, it } from 'vitest';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';
import { explainDifferences } from './explain.js';
import { runScenario } from './scenario-runner.js';
import { GROUPS } from './scenarios/index.js';
import { bothServers, startOurs } from './servers.js';

/**
 * The differential suite: every scenario runs against Apache ZooKeeper 3.8 and against our
 * server (both fresh for this file, both configured by COMPAT_CONFIG), and the normalized
 * transcripts must be equal. One test per scenario, so the count and the failures are visible.
 */

/** Null when our server starts, else why not (a broken build skips the suite visibly instead of failing every scenario). */
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
  const servers = bothServers();

  for (const { group, scenarios } of GROUPS) {
    describe(group, () => {
      for (const sc of scenarios) {
        it(sc.name, async () => {
          const [theirs, mine] = await Promise.all([runScenario(servers.zk, sc), runScenario(servers.ours, sc)]);
          expect(mine, explainDifferences(theirs, mine)).toEqual(theirs);
        }, 60_000);
      }
    });
  }
});
