import { silentLogger, systemClock } from '@paddock/edges';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { FastLeaderElection } from '../../packages/coord-server/src/quorum/election/fast-leader-election.js';
import { ElectionDriver } from '../../packages/coord-server/src/quorum/net/election-driver.js';
import { ElectionLinks, type HostPort } from '../../packages/coord-server/src/quorum/net/election-links.js';

interface Member {
  readonly links: ElectionLinks;
  readonly driver: ElectionDriver;
}

const running: Member[] = [];

afterEach(() => {
  for (const m of running.splice(0)) {
    m.driver.stop();
    m.links.close();
  }
});

async function ensemble(ids: number[]): Promise<Map<number, Member>> {
  const addresses = new Map<number, HostPort>();
  for (const id of ids) addresses.set(id, { host: '127.0.0.1', port: await freePort() });
  const members = new Map<number, Member>();
  for (const id of ids) {
    const peers = new Map([...addresses].filter(([other]) => other !== id));
    const fle = new FastLeaderElection({ myId: id, voters: ids, observer: false, config: 'version=0' });
    let driver: ElectionDriver | undefined;
    const links = new ElectionLinks({
      myId: id, listen: addresses.get(id)!, peers, connectTimeout: 2000, logger: silentLogger,
      onNotification: (from, n) => driver!.onNotification(from, n),
    });
    driver = new ElectionDriver(fle, links, systemClock);
    await links.start();
    const m = { links, driver };
    running.push(m);
    members.set(id, m);
  }
  return members;
}

describe('election over the election port', () => {
  it('three servers on loopback elect the newest, keeping one connection per pair dialled by the larger id', async () => {
    const members = await ensemble([1, 2, 3]);
    const zxids = new Map([[1, 0x100000005], [2, 0x100000009], [3, 0x100000002]]);
    const decisions = await Promise.all([...members].map(([id, m]) => m.driver.lookForLeader(zxids.get(id)!, 1)));
    expect(decisions.map((d) => d?.vote.leader)).toEqual([2, 2, 2]);
    expect(decisions.map((d) => d?.state)).toEqual(['following', 'leading', 'following']);
    // Server 1 holds links to 2 and 3 that they dialled; 3 holds links it dialled.
    expect(members.get(1)!.links.connected().sort()).toEqual([2, 3]);
    expect(members.get(3)!.links.connected().sort()).toEqual([1, 2]);
  });

  it('a server that starts after the others have decided joins their leader', async () => {
    const members = await ensemble([1, 2, 3]);
    const first = await Promise.all([1, 2].map((id) => members.get(id)!.driver.lookForLeader(0, 0)));
    expect(first.map((d) => d?.vote.leader)).toEqual([2, 2]);
    const late = await members.get(3)!.driver.lookForLeader(0, 0);
    expect(late).toMatchObject({ state: 'following', vote: { leader: 2 } });
  });
});
