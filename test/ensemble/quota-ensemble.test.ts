import { afterAll, describe, expect, it } from 'vitest';
import { skipWithoutPaddock } from '../fuzz/peers.js';
import { startPaddock } from '../support/paddock.js';
import { quotaScenario } from '../cli/quota-scenario.js';
import { until } from './support/wait.js';
import { afterSync } from './support/tree-read.js';
import { type PaddockMember, memberPorts, paddockMember, removeMember, serverLines } from './support/paddock-ensemble.js';

/**
 * Quota enforcement on a Paddock ensemble of three, enforceQuota=true in each zoo.cfg: a
 * follower forwards writes, the leader's prep checks the quota, so the quota scenario run
 * through a follower gives what it gives on a standalone server (itself checked against
 * ZooKeeper 3.8 in test/cli/quota-enforce.test.ts), and every member keeps the same stats.
 */
const members: PaddockMember[] = [];
afterAll(async () => {
  for (const m of members.splice(0)) {
    await m.stop();
    removeMember(m);
  }
});

describe.skipIf(await skipWithoutPaddock('quota enforcement on a Paddock ensemble'))('quotas on a Paddock ensemble of three', () => {
  it('a follower\'s writes are refused past a hard quota as on a standalone server, and all members keep the same stats', async () => {
    const ports = await memberPorts(3);
    const lines = serverLines(ports);
    for (let id = 1; id <= 3; id++) members.push(paddockMember(id, lines, { extra: ['enforceQuota=true'] }));
    await Promise.all(members.map((m) => m.start()));
    await until('all serving', () => members.every((m) => m.server?.serving));
    const follower = members.find((m) => m.server!.quorum!.role === 'following')!;
    const standalone = await startPaddock({ enforceQuota: true });
    try {
      const [onEnsemble, alone] = await Promise.all([
        quotaScenario(`127.0.0.1:${follower.server!.port}`), quotaScenario(standalone.connectString),
      ]);
      expect(onEnsemble).toContain('create /q/c past the hard count: QuotaExceeded');
      expect(onEnsemble).toEqual(alone);
    } finally {
      await standalone.stop();
    }
    const statsOn = (port: number): Promise<string[]> => afterSync(port, '/zookeeper/quota', async (c) => Promise.all(
      ['/zookeeper/quota/q/zookeeper_stats', '/zookeeper/quota/q/zookeeper_limits'].map(async (p) => (await c.getData(p)).data.toString()),
    ));
    const all = await Promise.all(members.map((m) => statsOn(m.server!.port)));
    expect(all[0]).toEqual(['count=6,bytes=0', 'count=-1,bytes=8=;byteHardLimit=-1;countHardLimit=-1']);
    expect(all[1]).toEqual(all[0]);
    expect(all[2]).toEqual(all[0]);
  }, 120_000);
});
