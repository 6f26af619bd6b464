import { type Server, createServer } from 'node:net';
import { silentLogger, systemClock } from '@paddock/edges';
import { afterEach, describe, expect, it } from 'vitest';
import { FastLeaderElection } from '../../packages/coord-server/src/quorum/election/fast-leader-election.js';
import { ElectionDriver } from '../../packages/coord-server/src/quorum/net/election-driver.js';
import { ElectionLinks } from '../../packages/coord-server/src/quorum/net/election-links.js';
import { freePort } from '../support/ports.js';
import { type PeerServer, fourLetter, skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';

// Fast leader election between Apache ZooKeeper 3.8 servers and ours, on loopback: every
// election packet kind (handshakes both ways, LOOKING, FOLLOWING and LEADING notifications
// with their config text) crosses a real ZooKeeper's socket.
const SUITE = 'election with Apache ZooKeeper';
const skip = skipWithoutZooKeeper(SUITE);
/** ZooKeeper's first packet to a leader it follows: FOLLOWERINFO. */
const FOLLOWERINFO = 11;

interface Ports { client: number; quorum: number; election: number }

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ports(n: number): Promise<Ports[]> {
  const out: Ports[] = [];
  for (let i = 0; i < n; i++) out.push({ client: await freePort(), quorum: await freePort(), election: await freePort() });
  return out;
}

function serverLines(all: Ports[], observers: number[] = []): string[] {
  return all.map((p, i) => `server.${i + 1}=127.0.0.1:${p.quorum}:${p.election}${observers.includes(i + 1) ? ':observer' : ''};127.0.0.1:${p.client}`);
}

async function zk(myId: number, all: Ports[], observers: number[] = []): Promise<PeerServer> {
  const peer = await startZooKeeper({
    port: all[myId - 1]!.client, tickTime: 500,
    extra: { initLimit: '10', syncLimit: '5', ...(observers.includes(myId) ? { peerType: 'observer' } : {}) },
    quorum: { myId, servers: serverLines(all, observers), waitFor: 'answering' },
  });
  cleanups.push(() => peer.stop());
  return peer;
}

/** Our election on `myId`'s election port, the others reached at their configured addresses. */
async function ours(myId: number, all: Ports[], observers: number[] = []): Promise<ElectionDriver> {
  const voters = all.map((_, i) => i + 1).filter((id) => !observers.includes(id));
  const config = serverLines(all, observers).map((l) => l.replace(/(;|$)/, (m) => (l.includes(':observer') ? m : `:participant${m}`))).join('\n') + '\nversion=0';
  const fle = new FastLeaderElection({ myId, voters, observer: observers.includes(myId), config });
  const peers = new Map(all.map((p, i) => [i + 1, { host: '127.0.0.1', port: p.election }] as const).filter(([id]) => id !== myId));
  let driver: ElectionDriver | undefined;
  const links = new ElectionLinks({
    myId, listen: { host: '127.0.0.1', port: all[myId - 1]!.election }, peers, connectTimeout: 5000, logger: silentLogger,
    onNotification: (from, n) => driver!.onNotification(from, n),
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

async function mode(peer: PeerServer): Promise<string> {
  const srvr = await fourLetter(peer.port, 'srvr', '127.0.0.1', 1000).catch(() => '');
  return /Mode: (\w+)/.exec(srvr)?.[1] ?? 'none';
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(skip)(SUITE, () => {
  it('two ZooKeeper servers elect ours (the largest id) and dial its quorum port with FOLLOWERINFO', async () => {
    const all = await ports(3);
    const followers = quorumPort(all[2]!.quorum, 2);
    const driver = await ours(3, all);
    const decided = driver.lookForLeader(0, 0);
    await Promise.all([zk(1, all), zk(2, all)]);
    expect(await decided).toMatchObject({ state: 'leading', vote: { leader: 3, zxid: 0, peerEpoch: 0 } });
    expect(await followers).toEqual([FOLLOWERINFO, FOLLOWERINFO]);
  }, 60_000);

  it('ours (the smallest id) follows the ZooKeeper server with the largest id, which then leads', async () => {
    const all = await ports(3);
    const driver = await ours(1, all);
    const decided = driver.lookForLeader(0, 0);
    const [, three] = await Promise.all([zk(2, all), zk(3, all)]);
    expect(await decided).toMatchObject({ state: 'following', vote: { leader: 3 } });
    await until('server 3 to lead', async () => (await mode(three)) === 'leader');
  }, 60_000);

  it('joining late, ours follows the leader two ZooKeeper servers already chose, though its id is larger', async () => {
    const all = await ports(3);
    const [one, two] = await Promise.all([zk(1, all), zk(2, all)]);
    await until('a ZooKeeper leader', async () => (await mode(two)) === 'leader' && (await mode(one)) === 'follower');
    const driver = await ours(3, all);
    expect(await driver.lookForLeader(0, 0)).toMatchObject({ state: 'following', vote: { leader: 2 } });
  }, 60_000);

  it('as an observer, ours learns the leader of two ZooKeeper voters and never votes', async () => {
    const all = await ports(3);
    const driver = await ours(3, all, [3]);
    const decided = driver.lookForLeader(0, 0);
    const [, two] = await Promise.all([zk(1, all, [3]), zk(2, all, [3])]);
    expect(await decided).toMatchObject({ state: 'observing', vote: { leader: 2 } });
    await until('server 2 to lead', async () => (await mode(two)) === 'leader');
  }, 60_000);
});
