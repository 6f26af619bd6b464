import { describe, expect, it } from 'vitest';
import { type ElectionOutput, FastLeaderElection, ZOOKEEPER_TIMINGS } from './fast-leader-election.js';
import { NONE, type Notification } from './vote.js';

/** Servers in one process; messages are delivered in send order, one at a time, at time `now`. */
class Net {
  now = 0;
  readonly nodes = new Map<number, FastLeaderElection>();
  readonly queue: { from: number; to: number; n: Notification }[] = [];
  readonly decisions = new Map<number, ElectionOutput & { kind: 'decided' }>();
  readonly down = new Set<number>();

  constructor(voters: number[], observers: number[] = []) {
    for (const id of [...voters, ...observers]) {
      this.nodes.set(id, new FastLeaderElection({ myId: id, voters, observer: observers.includes(id), config: 'version=0' }));
    }
  }

  take(from: number, outs: ElectionOutput[]): void {
    for (const o of outs) {
      if (o.kind === 'send') this.queue.push({ from, to: o.to, n: o.notification });
      else this.decisions.set(from, o);
    }
  }

  start(id: number, zxid: number, epoch: number): void {
    this.take(id, this.nodes.get(id)!.lookForLeader(this.now, zxid, epoch));
  }

  /** Delivers until quiet, then advances time to the next deadline; bounded. */
  run(steps = 10_000): void {
    for (let i = 0; i < steps; i++) {
      const m = this.queue.shift();
      if (m) {
        if (!this.down.has(m.to) && !this.down.has(m.from)) this.take(m.to, this.nodes.get(m.to)!.receive(this.now, m.from, m.n));
        continue;
      }
      const next = Math.min(...[...this.nodes].filter(([id]) => !this.down.has(id)).map(([, n]) => n.deadline()));
      if (!Number.isFinite(next)) return;
      this.now = Math.max(this.now, next);
      for (const [id, node] of this.nodes) if (!this.down.has(id)) this.take(id, node.tick(this.now));
    }
    throw new Error('election did not settle');
  }

  leaders(): number[] {
    return [...new Set([...this.decisions.values()].map((d) => d.vote.leader))];
  }
}

describe('fast leader election', () => {
  it('elects the server with the newest peer epoch, then zxid, then the largest id', () => {
    const cases: [string, [number, number][], number][] = [
      ['all equal: largest id', [[0, 0], [0, 0], [0, 0]], 3],
      ['newest zxid wins over a larger id', [[0, 5], [0, 9], [0, 7]], 2],
      ['newer peer epoch wins over a newer zxid', [[2, 0x200000001], [1, 0x100000009], [1, 0x100000009]], 1],
    ];
    for (const [name, servers, leader] of cases) {
      const net = new Net([1, 2, 3]);
      servers.forEach(([epoch, zxid], i) => net.start(i + 1, zxid, epoch));
      net.run();
      expect(net.leaders(), name).toEqual([leader]);
      expect(net.decisions.get(leader)?.state, name).toBe('leading');
      expect([...net.decisions.keys()].sort(), name).toEqual([1, 2, 3]);
    }
  });

  it('decides only after the finalize wait, and a newer vote in the wait reopens it', () => {
    const net = new Net([1, 2, 3]);
    net.start(1, 0, 0);
    net.start(2, 0, 0);
    // Deliver everything but do not advance time: a quorum (1, 2) agrees on 2, nobody decides yet.
    while (net.queue.length) {
      const m = net.queue.shift()!;
      net.take(m.to, net.nodes.get(m.to)!.receive(net.now, m.from, m.n));
    }
    expect(net.decisions.size).toBe(0);
    expect(net.nodes.get(1)!.deadline()).toBe(ZOOKEEPER_TIMINGS.finalizeWait);
    net.now = 150;
    net.start(3, 0, 0); // 3 is newer (larger id): it must win although 1 and 2 had a quorum
    net.run();
    expect(net.leaders()).toEqual([3]);
  });

  it('a server that starts late learns the leader from those out of election', () => {
    const net = new Net([1, 2, 3]);
    net.start(1, 7, 1);
    net.start(2, 3, 1);
    net.run();
    expect(net.leaders()).toEqual([1]);
    net.now += 10_000;
    net.start(3, 9, 1); // newer zxid, but a quorum already follows 1
    net.run();
    expect(net.decisions.get(3)).toMatchObject({ state: 'following', vote: { leader: 1 } });
  });

  it('an observer never votes and learns the leader', () => {
    const net = new Net([1, 2, 3], [4]);
    net.start(4, 99, 5); // newest of all, but it cannot lead
    for (const id of [1, 2, 3]) net.start(id, 0, 0);
    net.run();
    expect(net.decisions.get(4)).toMatchObject({ state: 'observing', vote: { leader: 3 } });
    expect(net.leaders()).toEqual([3]);
    for (const m of net.queue) expect(m.n.leader).not.toBe(4);
  });

  it('resends with a doubling interval when nothing comes back, up to the maximum', () => {
    const net = new Net([1, 2, 3]);
    const one = net.nodes.get(1)!;
    const sent: number[] = [];
    let now = 0;
    one.lookForLeader(now, 0, 0);
    for (let i = 0; i < 12; i++) {
      now = one.deadline();
      sent.push(now);
      expect(one.tick(now).filter((o) => o.kind === 'send')).toHaveLength(2);
    }
    const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
    expect(gaps.slice(0, 4)).toEqual([400, 800, 1600, 3200]);
    expect(gaps.at(-1)).toBe(ZOOKEEPER_TIMINGS.maxNotificationInterval);
  });

  it('a newer election round resets the votes gathered and the proposal', () => {
    const fle = new FastLeaderElection({ myId: 1, voters: [1, 2, 3], observer: false, config: '' });
    fle.lookForLeader(0, 10, 1);
    const out = fle.receive(1, 2, { state: 'looking', leader: 2, zxid: 5, electionEpoch: 4, peerEpoch: 1, version: 2, config: null });
    expect(fle.logicalClock).toBe(4);
    // Its own vote (zxid 10) is newer than 2's, so it goes on proposing itself, in round 4.
    const sends = out.filter((o) => o.kind === 'send').map((o) => o.kind === 'send' && o.notification);
    expect(sends).toEqual([
      expect.objectContaining({ leader: 1, zxid: 10, electionEpoch: 4 }),
      expect.objectContaining({ leader: 1, zxid: 10, electionEpoch: 4 }),
    ]);
  });

  it('answers a lagging looking voter and any non-voter with its vote', () => {
    const fle = new FastLeaderElection({ myId: 1, voters: [1, 2, 3], observer: false, config: 'cfg' });
    fle.lookForLeader(0, 0, 0);
    fle.lookForLeader(0, 0, 0); // round 2
    const lagging = fle.receive(1, 2, { state: 'looking', leader: 2, zxid: 0, electionEpoch: 1, peerEpoch: 0, version: 2, config: null });
    expect(lagging).toContainEqual({ kind: 'send', to: 2, notification: expect.objectContaining({ electionEpoch: 2, leader: 1, config: 'cfg' }) });
    const observer = fle.receive(1, 9, { state: 'looking', leader: NONE, zxid: NONE, electionEpoch: 1, peerEpoch: NONE, version: 2, config: null });
    expect(observer).toEqual([{ kind: 'send', to: 9, notification: expect.objectContaining({ state: 'looking', leader: 1 }) }]);
  });

  it('two of three elect a leader while the third is down, and it rejoins as follower', () => {
    const net = new Net([1, 2, 3]);
    net.down.add(3);
    net.start(1, 0, 0);
    net.start(2, 0, 0);
    net.run();
    expect(net.leaders()).toEqual([2]);
    net.down.delete(3);
    net.start(3, 0, 0);
    net.run();
    expect(net.decisions.get(3)).toMatchObject({ state: 'following', vote: { leader: 2 } });
  });
});
