import { CoordClient } from '@paddock/coord-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TreeDigest } from '../../packages/coord-server/src/quorum/sync/digest.js';
import { findCommand, runCommand } from '../../packages/coord-server/src/admin/command-table.js';
import { until } from './support/wait.js';
import { fourLetter, skipWithoutZooKeeper } from '../support/zookeeper.js';
import { type PaddockMember, paddockMember, removeMember } from './support/paddock-ensemble.js';
import { ZkEnsemble } from './support/zk-ensemble.js';

// Paddock and Apache ZooKeeper 3.8 servers in one ensemble, on loopback.
const SUITE = 'mixed ensembles with Apache ZooKeeper';
const skip = skipWithoutZooKeeper(SUITE);
const TICK = 500;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function zkEnsemble(paddock: number[], observer?: number): Promise<ZkEnsemble> {
  const members = [1, 2, 3].map((id) => ({ id, external: paddock.includes(id), role: id === observer ? 'observer' as const : 'participant' as const }));
  const ens = await ZkEnsemble.start({ members, tickTime: TICK, deferLaunch: true });
  cleanups.push(() => ens.stop());
  return ens;
}

function ourMember(ens: ZkEnsemble, id: number): PaddockMember {
  const observer = ens.member(id).role === 'observer';
  const m = paddockMember(id, ens.lines, { clientPort: ens.member(id).clientPort, tickTime: TICK, observer });
  cleanups.push(async () => {
    await m.stop();
    removeMember(m);
  });
  return m;
}

async function client(port: number): Promise<CoordClient> {
  const c = await CoordClient.connect(`127.0.0.1:${port}`, { sessionTimeout: 6000 });
  cleanups.push(() => c.close().catch(() => undefined));
  return c;
}

/** Writes through each server in turn; every server reads every write after sync. */
async function writesEverywhere(ports: number[], path = '/mixed'): Promise<void> {
  const cs = await Promise.all(ports.map(client));
  await cs[0]!.create(path, Buffer.from('0'));
  for (let i = 0; i < cs.length; i++) await cs[i]!.setData(path, Buffer.from(String(i + 1)));
  for (const c of cs) {
    await c.sync(path);
    expect((await c.getData(path)).data.toString()).toBe(String(cs.length));
  }
}

/** Each ZooKeeper member checked every proposal's digest against its own tree and found no difference. */
async function noDigestMismatch(ens: ZkEnsemble, ids: readonly number[]): Promise<void> {
  for (const id of ids) {
    const mntr = await fourLetter(ens.member(id).clientPort, 'mntr', '127.0.0.1', 2000);
    expect(mntr).toMatch(/zk_digest_mismatches_count\t0\n/);
  }
}

describe.skipIf(skip)(SUITE, () => {
  it('{ZooKeeper, ZooKeeper, Paddock}: ours follows a ZooKeeper leader; writes through any server are read on all', async () => {
    const ens = await zkEnsemble([1]);
    ens.launch(2);
    ens.launch(3);
    expect((await ens.waitForLeader()).id).toBe(3);
    const ours = ourMember(ens, 1);
    await ours.start();
    await until('ours to serve', () => ours.server!.serving);
    expect(ours.server!.quorum!.role).toBe('following');
    await writesEverywhere([1, 2, 3].map((id) => ens.member(id).clientPort));
  }, 90_000);

  it('{ZooKeeper, ZooKeeper, Paddock}: ours (largest id, started first) leads two ZooKeeper followers', async () => {
    const ens = await zkEnsemble([3]);
    const ours = ourMember(ens, 3);
    await ours.start();
    ens.launch(1);
    ens.launch(2);
    await until('ours to lead and serve', () => ours.server!.serving && ours.server!.quorum!.role === 'leading');
    await until('ZooKeeper followers', async () => (await ens.mode(1)) === 'follower' && (await ens.mode(2)) === 'follower');
    await writesEverywhere([1, 2, 3].map((id) => ens.member(id).clientPort));
    // Our proposals carry ZooKeeper's tree digest; its followers check each one on commit.
    await noDigestMismatch(ens, [1, 2]);
  }, 90_000);

  it('{ZooKeeper, ZooKeeper, Paddock}: ours leads again after losing its quorum, on the tree and digest it kept; the ZooKeeper followers find no digest mismatch', async () => {
    const counted = vi.spyOn(TreeDigest, 'of');
    cleanups.push(() => counted.mockRestore());
    const ens = await zkEnsemble([3]);
    const ours = ourMember(ens, 3);
    const ports = [1, 2, 3].map((id) => ens.member(id).clientPort);
    const leadsTwoFollowers = async (): Promise<void> => {
      await until('ours to lead and serve', () => ours.server!.serving && ours.server!.quorum!.role === 'leading');
      await until('ZooKeeper followers', async () => (await ens.mode(1)) === 'follower' && (await ens.mode(2)) === 'follower');
    };
    await ours.start();
    ens.launch(1);
    ens.launch(2);
    await leadsTwoFollowers();
    await writesEverywhere(ports, '/first-term');
    await ens.kill(1);
    await ens.kill(2);
    await until('ours to step down without a quorum', () => !ours.server!.serving);
    ens.launch(1);
    ens.launch(2);
    await leadsTwoFollowers();
    await writesEverywhere(ports, '/second-term');
    // The whole tree was hashed once, for the first term; the second went on with that digest.
    expect(counted).toHaveBeenCalledTimes(1);
    await noDigestMismatch(ens, [1, 2]);
  }, 120_000);

  it('{ZooKeeper, ZooKeeper, Paddock observer}: ours observes a ZooKeeper leader (INFORM) and serves every write after sync', async () => {
    const ens = await zkEnsemble([3], 3);
    ens.launch(1);
    ens.launch(2);
    expect((await ens.waitForLeader()).id).toBe(2);
    const ours = ourMember(ens, 3);
    await ours.start();
    await until('ours to serve', () => ours.server!.serving);
    expect(ours.server!.quorum!.role).toBe('observing');
    await writesEverywhere([3, 1, 2].map((id) => ens.member(id).clientPort));
  }, 90_000);

  it('{ZooKeeper, Paddock, ZooKeeper observer}: a ZooKeeper observer follows our leader', async () => {
    const ens = await zkEnsemble([2], 3);
    const ours = ourMember(ens, 2);
    await ours.start();
    ens.launch(1);
    await until('ours to lead', () => ours.server!.serving && ours.server!.quorum!.role === 'leading');
    ens.launch(3);
    await until('the ZooKeeper observer', async () => (await ens.mode(3)) === 'observer');
    await writesEverywhere([2, 1, 3].map((id) => ens.member(id).clientPort));
    expect(ours.server!.quorum!.learners().map((l) => [l.id, l.observer]).sort()).toEqual([[1, false], [3, true]]);
    // Our leader's view of it, as a ZooKeeper leader's `observers` and mntr give it (ops-vs-zookeeper.test.ts compares the forms).
    const [observer, ...others] = runCommand(findCommand('observers')!, ours.server!.stats, {}).observers as Record<string, number>[];
    expect(others).toEqual([]);
    expect(observer).toMatchObject({ sid: 3, last_zxid: ours.server!.pipeline.zxid });
    // Its session, sync and setData came as REQUESTs; INFORMs and PINGs went out, ACKs and PING answers came back.
    expect(observer!.requests).toBeGreaterThanOrEqual(3);
    expect(observer!.packets_sent).toBeGreaterThan(observer!.requests);
    expect(observer!.packets_received).toBeGreaterThan(observer!.requests);
    expect(await fourLetter(ens.member(2).clientPort, 'mntr', '127.0.0.1', 2000)).toMatch(/^zk_leader_uptime\t\d+$/m);
  }, 90_000);
});

