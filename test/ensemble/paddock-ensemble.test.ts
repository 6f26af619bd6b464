import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoordServer } from '../../packages/coord-server/src/coord-server.js';
import { Persistence } from '../../packages/coord-server/src/persistence/persistence.js';
import { TreeDigest } from '../../packages/coord-server/src/quorum/sync/digest.js';
import { until } from './support/wait.js';
import { CoordClient } from '@paddock/coord-client';
import { type PaddockMember, memberPorts, paddockMember, removeMember, serverLines } from './support/paddock-ensemble.js';

const members: PaddockMember[] = [];
const clients: CoordClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  for (const m of members.splice(0)) {
    await m.stop();
    removeMember(m);
  }
});

/** Three members in this process (`extra` in each zoo.cfg), once all serve; resolves with their ports. */
async function startThree(extra: readonly string[] = []): Promise<Awaited<ReturnType<typeof memberPorts>>> {
  const ports = await memberPorts(3);
  const lines = serverLines(ports);
  for (let id = 1; id <= 3; id++) members.push(paddockMember(id, lines, { extra }));
  await Promise.all(members.map((m) => m.start()));
  await until('all serving', () => members.every((m) => m.server?.serving));
  return ports;
}

describe('an all-Paddock ensemble of three', () => {
  it('elects a leader, serves on every member, and a write through one is read on all after sync', async () => {
    const ports = await startThree();
    const roles = members.map((m) => m.server!.quorum!.role).sort();
    expect(roles).toEqual(['following', 'following', 'leading']);
    const cs = await Promise.all(ports.map((p) => CoordClient.connect(`127.0.0.1:${p.client}`, { sessionTimeout: 4000 })));
    clients.push(...cs);
    await cs[0]!.create('/a', Buffer.from('one'));
    await cs[1]!.setData('/a', Buffer.from('two'));
    for (const c of cs) {
      await c.sync('/a');
      expect((await c.getData('/a')).data.toString()).toBe('two');
    }
    // ZooKeeper's ServerMetrics for ZAB move as it runs, in mntr as in /metrics: the leader's
    // proposals, commits and learner syncs (two empty DIFFs), each follower's PROPOSALs and
    // COMMITs, and on every member an election and its time, and txn log batches.
    const mntr = (m: PaddockMember): Map<string, number> => new Map(m.server!.fourLetterWord('mntr').trimEnd().split('\n')
      .map((l) => l.split('\t')).map(([k, v]) => [k!.slice(3), Number(v)]));
    const leader = members.find((m) => m.server!.quorum!.role === 'leading')!;
    // 3 createSession, the create and the setData.
    expect(mntr(leader).get('proposal_count')).toBeGreaterThanOrEqual(5);
    expect(mntr(leader).get('commit_count')).toBeGreaterThanOrEqual(5);
    expect(mntr(leader).get('diff_count')).toBe(2);
    expect(mntr(leader).get('snap_count')).toBe(0);
    for (const m of members) {
      const rows = mntr(m);
      if (m !== leader) {
        expect(rows.get('learner_proposal_received_count'), `member ${m.id}`).toBeGreaterThanOrEqual(5);
        expect(rows.get('learner_commit_received_count'), `member ${m.id}`).toBeGreaterThanOrEqual(5);
      }
      expect([rows.get('looking_count'), rows.get('cnt_election_time')], `member ${m.id}`).toEqual([1, 1]);
      expect(rows.get('cnt_fsynctime'), `member ${m.id}`).toBeGreaterThan(0);
    }
  }, 60_000);

  /**
   * A follower stopped for 5 writes, then for 600 (past the leader's window of 500 recent
   * commits); `extra` goes in every member's zoo.cfg. Resolves with how the leader synced it
   * the second time: from its txn log (a DIFF) or by a snapshot.
   */
  async function catchUp(extra: readonly string[]): Promise<'log' | 'snapshot'> {
    const fromLog = vi.spyOn(Persistence.prototype, 'loggedBetween');
    const bySnapshot = vi.spyOn(Persistence.prototype, 'replaceAll');
    try {
      await startThree(extra);
      const follower = members.find((m) => m.server!.quorum!.role === 'following')!;
      const others = members.filter((m) => m !== follower);
      const c = await CoordClient.connect(others.map((m) => `127.0.0.1:${m.server!.port}`).join(','), { sessionTimeout: 4000 });
      clients.push(c);
      await c.create('/n', Buffer.from('0'));
      for (const [round, writes] of [[1, 5], [2, 600]] as const) {
        await follower.stop();
        for (let i = 0; i < writes; i++) await c.setData('/n', Buffer.from(`${round}-${i}`));
        await follower.start();
        await until('the follower to serve again', () => follower.server?.serving === true);
        const f = await CoordClient.connect(`127.0.0.1:${follower.server!.port}`, { sessionTimeout: 4000 });
        clients.push(f);
        expect((await f.getData('/n')).data.toString()).toBe(`${round}-${writes - 1}`);
        expect((await f.getData('/n')).stat.version).toBe(round === 1 ? 5 : 605);
        // Five behind: a DIFF from the leader's window, no log read and no snapshot.
        if (round === 1) expect([fromLog.mock.calls.length, bySnapshot.mock.calls.length]).toEqual([0, 0]);
      }
      const readFromLog = fromLog.mock.results.some((r) => r.type === 'return' && r.value !== null);
      expect(readFromLog || bySnapshot.mock.calls.length > 0).toBe(true);
      expect(readFromLog && bySnapshot.mock.calls.length > 0).toBe(false);
      return readFromLog ? 'log' : 'snapshot';
    } finally {
      fromLog.mockRestore();
      bySnapshot.mockRestore();
    }
  }

  it('a follower that was down catches up: by DIFF from the window when a few writes behind, by DIFF from the txn log when past it', async () => {
    expect(await catchUp([])).toBe('log');
  }, 120_000);

  it('with snapshotSizeFactor=-1, a follower past the window gets a snapshot instead', async () => {
    expect(await catchUp(['snapshotSizeFactor=-1'])).toBe('snapshot');
  }, 120_000);

  it('when the leader stops, a follower takes over on the tree and digest it kept: nothing is reloaded or rehashed', async () => {
    const ports = await startThree();
    const c = await CoordClient.connect(members.map((m) => `127.0.0.1:${m.server!.port}`).join(','), { sessionTimeout: 6000 });
    clients.push(c);
    for (let i = 0; i < 20; i++) await c.create(`/kept-${i}`, Buffer.from('x'));
    const hashed = vi.spyOn(TreeDigest, 'of');
    const reloaded = vi.spyOn(CoordServer.prototype, 'load');
    try {
      const leader = members.find((m) => m.server!.quorum!.role === 'leading')!;
      await leader.stop();
      const rest = members.filter((m) => m !== leader);
      await until('a new leader serving', () => rest.some((m) => m.server!.serving && m.server!.quorum!.role === 'leading'));
      // A write in flight at the failover may see ConnectionLoss (as on ZooKeeper): a fresh
      // client on the new leader writes once it serves.
      const newLeader = rest.find((m) => m.server!.quorum!.role === 'leading')!;
      const after = await CoordClient.connect(`127.0.0.1:${newLeader.server!.port}`, { sessionTimeout: 6000 });
      clients.push(after);
      await after.create('/after', Buffer.from('y'));
      expect([hashed.mock.calls.length, reloaded.mock.calls.length]).toEqual([0, 0]);
    } finally {
      hashed.mockRestore();
      reloaded.mockRestore();
    }
  }, 60_000);

  it('a leader that loses its quorum stops serving within syncLimit; its clients see Disconnected, then reconnect elsewhere', async () => {
    const ports = await startThree();
    const leader = members.find((m) => m.server!.quorum!.role === 'leading')!;
    const followers = members.filter((m) => m !== leader);
    const all = members.map((m) => `127.0.0.1:${m.server!.port}`);
    // The client starts on the leader (listed first and alone at first) and may move to any.
    const c = await CoordClient.connect(`127.0.0.1:${leader.server!.port}`, { sessionTimeout: 6000 });
    clients.push(c);
    await c.create('/kept', Buffer.from('x'));
    const states: string[] = [];
    c.on('state', (s) => states.push(String(s)));
    await followers[0]!.stop();
    await followers[1]!.stop();
    await until('the leader to stop serving', () => !leader.server!.serving, 10_000);
    await until('the client to see Disconnected', () => states.some((s) => /disconnected/i.test(s)), 10_000);
    // The followers come back; the three elect again and serve; the session goes on.
    await Promise.all(followers.map((m) => m.start()));
    await until('a leader again', () => members.filter((m) => m.server?.serving).length === 3, 30_000);
    const d = await CoordClient.connect(all.join(','), { sessionTimeout: 6000 });
    clients.push(d);
    expect((await d.getData('/kept')).data.toString()).toBe('x');
  }, 90_000);
});

