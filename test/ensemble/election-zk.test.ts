import { type Server, createServer } from 'node:net';
import { silentLogger, systemClock } from '@paddock/edges';
import { afterEach, describe, expect, it } from 'vitest';
import { FastLeaderElection } from '../../packages/coord-server/src/quorum/election/fast-leader-election.js';
import { ElectionDriver } from '../../packages/coord-server/src/quorum/net/election-driver.js';
import { ElectionLinks } from '../../packages/coord-server/src/quorum/net/election-links.js';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';
import { until } from './support/wait.js';
import { ZkEnsemble } from './support/zk-ensemble.js';

// Fast leader election between Apache ZooKeeper 3.8 servers and ours, on loopback: every
// election packet kind (handshakes both ways, LOOKING, FOLLOWING and LEADING notifications
// with their config text) crosses a real ZooKeeper's socket.
const SUITE = 'election with Apache ZooKeeper';
const skip = skipWithoutZooKeeper(SUITE);
/** ZooKeeper's first packet to a leader it follows: FOLLOWERINFO. */
const FOLLOWERINFO = 11;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ensemble(ours: number, observers: number[] = []): Promise<ZkEnsemble> {
  const members = [1, 2, 3].map((id) => ({ id, external: id === ours, role: observers.includes(id) ? 'observer' as const : 'participant' as const }));
  const ens = await ZkEnsemble.start({ members, tickTime: 500, deferLaunch: true });
  cleanups.push(() => ens.stop());
  return ens;
}

/** Our election in `myId`'s seat, the others reached at their configured addresses. */
async function ours(ens: ZkEnsemble, myId: number, heard: Set<number> = new Set()): Promise<ElectionDriver> {
  const me = ens.member(myId);
  const voters = ens.members.filter((m) => m.role === 'participant').map((m) => m.id);
  const config = ens.lines.map((l) => (l.endsWith(':observer') ? l : `${l}:participant`)).join('\n') + '\nversion=0';
  const fle = new FastLeaderElection({ myId, voters, observer: me.role === 'observer', config });
  const peers = new Map(ens.members.filter((m) => m.id !== myId).map((m) => [m.id, { host: '127.0.0.1', port: m.electionPort }] as const));
  let driver: ElectionDriver | undefined;
  const links = new ElectionLinks({
    myId, listen: { host: '127.0.0.1', port: me.electionPort }, peers, connectTimeout: 5000, logger: silentLogger,
    onNotification: (from, n) => {
      heard.add(from);
      driver!.onNotification(from, n);
    },
  });
  driver = new ElectionDriver(fle, links, systemClock);
  await links.start();
  cleanups.push(() => {
    driver!.stop();
    links.close();
  });
  return driver;
}

/** Listens on a quorum port and resolves with the first packet type each dialer sends. */
function quorumPort(port: number, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const types: number[] = [];
    const server: Server = createServer((s) => {
      s.once('data', (b: Buffer) => {
        types.push(b.readInt32BE(0));
        if (types.length === count) resolve(types);
      });
      s.on('error', () => undefined);
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.1');
    cleanups.push(() => void server.close());
  });
}

describe.skipIf(skip)(SUITE, () => {
  it('two ZooKeeper servers elect ours (the largest id) and dial its quorum port with FOLLOWERINFO', async () => {
    const ens = await ensemble(3);
    const followers = quorumPort(ens.member(3).quorumPort, 2);
    const decided = (await ours(ens, 3)).lookForLeader(0, 0);
    ens.launch(1);
    ens.launch(2);
    expect(await decided).toMatchObject({ state: 'leading', vote: { leader: 3, zxid: 0, peerEpoch: 0 } });
    expect(await followers).toEqual([FOLLOWERINFO, FOLLOWERINFO]);
  }, 60_000);

  it('ours (the smallest id) follows the ZooKeeper server with the largest id, which then leads', async () => {
    const ens = await ensemble(1);
    const heard = new Set<number>();
    const decided = (await ours(ens, 1, heard)).lookForLeader(0, 0);
    // 3 first, and 2 only once 3 is heard: had 1 and 2 agreed on 2 before 3's JVM was up (a
    // loaded machine), ZooKeeper itself would have elected 2.
    ens.launch(3);
    await until('a notification from server 3', () => heard.has(3), 30_000);
    ens.launch(2);
    expect(await decided).toMatchObject({ state: 'following', vote: { leader: 3 } });
    expect((await ens.waitForLeader()).id).toBe(3);
  }, 60_000);

  it('joining late, ours follows the leader two ZooKeeper servers already chose, though its id is larger', async () => {
    const ens = await ensemble(3);
    ens.launch(1);
    ens.launch(2);
    expect((await ens.waitForLeader()).id).toBe(2);
    expect(await (await ours(ens, 3)).lookForLeader(0, 0)).toMatchObject({ state: 'following', vote: { leader: 2 } });
  }, 60_000);

  it('as an observer, ours learns the leader of two ZooKeeper voters and never votes', async () => {
    const ens = await ensemble(3, [3]);
    const decided = (await ours(ens, 3)).lookForLeader(0, 0);
    ens.launch(1);
    ens.launch(2);
    expect(await decided).toMatchObject({ state: 'observing', vote: { leader: 2 } });
    expect((await ens.waitForLeader()).id).toBe(2);
  }, 60_000);
});
