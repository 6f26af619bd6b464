import { CoordClient } from '@paddock/coord-client';
import { afterEach, describe, expect, it } from 'vitest';
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
async function writesEverywhere(ports: number[]): Promise<void> {
  const cs = await Promise.all(ports.map(client));
  await cs[0]!.create('/mixed', Buffer.from('0'));
  for (let i = 0; i < cs.length; i++) await cs[i]!.setData('/mixed', Buffer.from(String(i + 1)));
  for (const c of cs) {
    await c.sync('/mixed');
    expect((await c.getData('/mixed')).data.toString()).toBe(String(cs.length));
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
    for (const id of [1, 2]) {
      const mntr = await fourLetter(ens.member(id).clientPort, 'mntr', '127.0.0.1', 2000);
      expect(mntr).toMatch(/zk_digest_mismatches_count\t0\n/);
    }
  }, 90_000);

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
  }, 90_000);
});

