import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PeerServer } from '../support/zookeeper.js';
import { runScenario, rootOf } from './scenario-runner.js';
import { GROUPS } from './scenarios/index.js';
import { startZooKeeperPeer } from './servers.js';

/**
 * ZooKeeper alone: runs every scenario on two fresh ZooKeeper servers side by side and checks
 * that the normalized transcripts are identical (the normalization is deterministic), that no
 * two scenarios share a root, and that no bounded wait ran out. Writes all transcripts to
 * $ZK_TRANSCRIPTS (default /tmp/zk-transcripts.json) for reading.
 */
const only = process.env.ZK_ONLY ? new RegExp(process.env.ZK_ONLY) : null;

describe('scenarios on Apache ZooKeeper alone', () => {
  it('are deterministic and self-consistent', async () => {
    const [a, b] = await Promise.all([startZooKeeperPeer(), startZooKeeperPeer()]);
    const out: Record<string, unknown> = {};
    const problems: string[] = [];
    const roots = new Set<string>();
    try {
      for (const { group, scenarios } of GROUPS) {
        for (const sc of scenarios) {
          if (only && !only.test(`${group}: ${sc.name}`)) continue;
          if (roots.has(rootOf(sc))) problems.push(`duplicate root ${rootOf(sc)}`);
          roots.add(rootOf(sc));
          const t0 = Date.now();
          const [ta, tb] = await Promise.all([runScenario(a, sc), runScenario(b, sc)]).catch((e: Error) => {
            problems.push(`${sc.name}: ${e.message}`);
            return [{ error: e.message }, { error: e.message }];
          });
          const ms = Date.now() - t0;
          out[`${group}: ${sc.name}`] = { ms, ...ta };
          const text = JSON.stringify(ta);
          if (JSON.stringify(tb) !== text) {
            problems.push(`not deterministic: ${sc.name}`);
            out[`${group}: ${sc.name} (second server)`] = { ms, ...tb };
          }
          const suspicious = /"ok":false|"closed":false|"closedAfter":false|garbage|!far|!differs|!out-of-order|bodyError|unmatched/;
          if (suspicious.test(text) || (!sc.expectsNoReply && text.includes('noReply'))) problems.push(`suspicious: ${sc.name}`);
        }
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      writeFileSync(process.env.ZK_TRANSCRIPTS ?? '/tmp/zk-transcripts.json', JSON.stringify(out, null, 1));
    }
    console.log(`${Object.keys(out).length} scenarios in ${GROUPS.length} groups`);
    expect(problems).toEqual([]);
  });
});

export type { PeerServer };
