import { afterAll, describe, expect, it } from 'vitest';
import { skipWithoutPaddock } from '../fuzz/peers.js';
import { startPaddock } from '../support/paddock.js';
import { normalizeZkCli, runZkCli } from '../support/zkcli-transcript.js';
import { skipWithoutZooKeeper, startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { quotaScenario } from './quota-scenario.js';

/**
 * Quota enforcement as a differential scenario: Apache ZooKeeper 3.8 started with
 * -Dzookeeper.enforceQuota=true and Paddock with enforceQuota=true get the same setquota /
 * create / setData / delete / multi / listquota sequence and must give the same results,
 * error codes and listquota output; zkCli.sh's own transcript of a shorter script too.
 */
const noZooKeeper = skipWithoutZooKeeper('quota enforcement against ZooKeeper 3.8');
const noPaddock = noZooKeeper || (await skipWithoutPaddock('quota enforcement against Paddock'));

const peers: PeerServer[] = [];
afterAll(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});
async function both(): Promise<[PeerServer, PeerServer]> {
  const [zk, ours] = await Promise.all([
    startZooKeeper({ jvmFlags: ['-Dzookeeper.enforceQuota=true'] }), startPaddock({ enforceQuota: true }),
  ]);
  peers.push(zk, ours);
  return [zk, ours];
}

/** zkCli.sh's script: hard and soft limits hit through the real client, then listquota. */
const ZKCLI_SCRIPT = [
  'create /q', 'create /q/a x', 'setquota -N 3 /q', 'create /q/b', 'create /q/c', 'create /q/d', 'setquota -B 4 /q',
  'set /q/a 1234', 'set /q/a 12', 'listquota /q', 'create /s', 'setquota -n 1 /s', 'create /s/a', 'create /s/b',
  'listquota /s', 'delquota /q', 'create /q/c', 'listquota /q',
];

describe.skipIf(noPaddock)('quotas enforced as ZooKeeper 3.8 enforces them', () => {
  it('the same outcomes, error codes and listquota output on both servers', async () => {
    const [zk, ours] = await both();
    const [theirs, mine] = await Promise.all([quotaScenario(zk.connectString), quotaScenario(ours.connectString)]);
    // The reference shows enforcement at work, so the comparison is not of two servers that ignore quotas.
    expect(theirs).toContain('create /q/c past the hard count: QuotaExceeded');
    expect(theirs).toContain('  Quota has exceeded : /q/over');
    // Each op of a multi is checked against the stats from before it: two creates that each fit pass together.
    expect(theirs).toContain('multi [create /q/m1, create /q/m2]: ok');
    expect(mine).toEqual(theirs);
  }, 120_000);

  it('zkCli.sh prints the same transcript on both', async () => {
    const [zk, ours] = await both();
    const [theirs, mine] = await Promise.all([runZkCli(zk.port, ZKCLI_SCRIPT), runZkCli(ours.port, ZKCLI_SCRIPT)]);
    const t = normalizeZkCli(theirs, zk.port);
    expect(t.lines).toContain('Quota has exceeded : /q/d');
    expect(normalizeZkCli(mine, ours.port)).toEqual(t);
  }, 120_000);
});
