import { fourLetter } from '../../bench/support/four-letter.js';
import { CoordClient } from '@paddock/coord-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';
import { type Kind, MixedEnsemble } from './support/mixed.js';
import { mntrRow } from './support/mntr.js';
import { treeAt, treeDiff } from './support/tree-read.js';
import { until } from './support/wait.js';
import { writeMany } from './support/writes.js';

// Issue 12, "each sync mode in both directions": a Paddock leader brings a ZooKeeper 3.8
// learner up to date by DIFF, TRUNC and SNAP, and a ZooKeeper leader a Paddock learner. Each
// mode is provoked as it happens in production and proven from ZooKeeper's own log (its
// learner says "Getting a diff ...", its leader's LearnerHandler "Sending DIFF ... for peer
// sid: N"); after each sync the learner's tree equals the leader's, node by node, Stat and all.
// Seats 1..3 are separate processes on loopback; every one is killed by PID.
const SUITE = 'sync modes between Paddock and ZooKeeper 3.8';
const skip = skipWithoutZooKeeper(SUITE);

/** A DIFF fits the leader's window of 500 recent commits; a SNAP needs more than that behind. */
const DIFF_WRITES = 20;
const SNAP_WRITES = 600;
const STEP_MS = 120_000;

/**
 * Leaves `oldLeader` with a txn in its log that no other server has: the others are paused
 * (SIGSTOP: connected, reading nothing), a create goes to the leader, which logs it and waits
 * for ACKs that never come until it steps down for want of a quorum; then all three are killed
 * -9 (the paused ones never read the proposal: it dies in their socket buffers).
 */
async function strandProposal(ens: MixedEnsemble, oldLeader: number, others: readonly number[]): Promise<void> {
  const c = await CoordClient.connect(ens.connectString([oldLeader]), { sessionTimeout: 10_000 });
  await c.create('/sync', Buffer.from('base'));
  await c.create('/sync/committed', Buffer.from('yes'));
  // A quorum acknowledged it, but on a loaded machine one of the others may not have it yet:
  // the stranded txn must be the only difference between the old leader and each of them.
  const zxidAt = async (id: number): Promise<string> => /Zxid: (0x[0-9a-f]+)/.exec(await fourLetter(ens.clientPort(id), 'srvr'))?.[1] ?? '?';
  const leaderZxid = await zxidAt(oldLeader);
  for (const id of others) await until(`seat ${id} at the leader's zxid ${leaderZxid}`, async () => (await zxidAt(id)) === leaderZxid, 30_000);
  for (const id of others) ens.pause(id);
  const stranded = c.create('/sync/stranded', Buffer.from('never committed')).then(() => 'acknowledged', () => 'failed');
  await until(`seat ${oldLeader} to step down without a quorum`, async () => (await ens.mode(oldLeader)) === 'down', 30_000);
  await ens.kill(oldLeader);
  for (const id of others) await ens.kill(id);
  await c.close().catch(() => undefined);
  expect(await stranded).toBe('failed');
}

/**
 * The learner's tree equals the leader's once it serves (every node, data and Stat), and it
 * found no txn whose digest differed from the leader's (of either kind: both check each one
 * from the sync on, bar a SNAP's or TRUNC's before NEWLEADER; the reads here add session txns).
 */
async function expectSameTree(ens: MixedEnsemble, leader: number, learner: number): Promise<void> {
  const [a, b] = [await treeAt(ens.clientPort(leader)), await treeAt(ens.clientPort(learner))];
  expect(treeDiff(a, b)).toEqual([]);
  expect(a.size).toBeGreaterThan(2);
  expect(await mntrRow(ens.clientPort(learner), 'digest_mismatches_count'), `${ens.kind(learner)} learner ${learner}`).toBe('0');
}

/** Restarts `learner` and returns what the watched seat logged while it synced. */
async function rejoin(ens: MixedEnsemble, learner: number, watched: number): Promise<string> {
  const mark = ens.log(watched).length;
  ens.start(learner);
  await ens.waitServing(learner);
  return ens.log(watched).slice(mark);
}

/**
 * One direction: seat 2 leads first (kind `first`), seat 3 (kind `leaderKind`, the largest id)
 * leads from the TRUNC case on; seat 1 is the learner for DIFF and SNAP.
 */
function direction(kinds: readonly Kind[], proof: Record<'trunc' | 'diff' | 'snap', (log: string, learner: number) => void>, watchLearner: boolean): void {
  let ens: MixedEnsemble;
  beforeAll(async () => {
    // A leader of either kind otherwise serves a learner past its 500 recent commits from its
    // txn log files (a DIFF): with that off, a long absence means a SNAP.
    ens = await MixedEnsemble.create(kinds, { snapshotSizeFactor: '-1' });
    ens.start(1);
    ens.start(2);
    expect(await ens.waitForLeader([1, 2])).toBe(2);
    ens.start(3);
    expect(await ens.waitForLeader([1, 2, 3])).toBe(2);
  }, STEP_MS);
  afterAll(async () => {
    await ens?.stop();
  });
  const watched = (learner: number): number => (watchLearner ? learner : 3);

  it(`TRUNC: the old ${kinds[1]} leader's stranded txn is cut when it rejoins the ${kinds[2]} leader`, async () => {
    await strandProposal(ens, 2, [1, 3]);
    ens.start(1);
    ens.start(3);
    expect(await ens.waitForLeader([1, 3])).toBe(3);
    // No write (not even a session) before it rejoins: once the new leader has commits of its
    // own epoch, both ZooKeeper and Paddock send a SNAP instead (TRUNC never crosses an epoch).
    const log = await rejoin(ens, 2, watched(2));
    proof.trunc(log, 2);
    await expectSameTree(ens, 3, 2);
    const c = await CoordClient.connect(ens.connectString([2]), { sessionTimeout: 10_000 });
    expect(await c.exists('/sync/stranded')).toBeNull();
    expect(await c.exists('/sync/committed')).not.toBeNull();
    await c.close();
  }, STEP_MS);

  it(`DIFF: a ${kinds[0]} learner down for ${DIFF_WRITES} writes gets them from the ${kinds[2]} leader`, async () => {
    await ens.kill(1);
    await writeMany(ens.clientPort(3), '/sync', 'diff', DIFF_WRITES);
    proof.diff(await rejoin(ens, 1, watched(1)), 1);
    await expectSameTree(ens, 3, 1);
  }, STEP_MS);

  it(`SNAP: a ${kinds[0]} learner down for ${SNAP_WRITES} writes (past the window) gets a snapshot from the ${kinds[2]} leader`, async () => {
    await ens.kill(1);
    await writeMany(ens.clientPort(3), '/sync', 'snap', SNAP_WRITES);
    proof.snap(await rejoin(ens, 1, watched(1)), 1);
    await expectSameTree(ens, 3, 1);
  }, STEP_MS);
}

describe.skipIf(skip)(`${SUITE}: a Paddock leader syncs ZooKeeper learners`, () => {
  // ZooKeeper's Learner.syncWithLeader logs the mode it was given.
  direction(['zk', 'zk', 'paddock'], {
    trunc: (log) => expect(log).toMatch(/Truncating log to get in sync with the leader 0x[0-9a-f]+/),
    diff: (log) => expect(log).toMatch(/Getting a diff from the leader 0x[0-9a-f]+/),
    snap: (log) => expect(log).toMatch(/Getting a snapshot from leader 0x[0-9a-f]+/),
  }, true);
});

describe.skipIf(skip)(`${SUITE}: a ZooKeeper leader syncs Paddock learners`, () => {
  // ZooKeeper's LearnerHandler logs what it sends to each learner (SNAP without the sid: one learner syncs at a time here).
  direction(['paddock', 'paddock', 'zk'], {
    trunc: (log, sid) => expect(log).toMatch(new RegExp(`Sending TRUNC to follower zxidToSend=0x[0-9a-f]+ for peer sid: ?${sid}\\b`)),
    diff: (log, sid) => expect(log).toMatch(new RegExp(`Sending DIFF zxid=0x[0-9a-f]+\\s+for peer sid: ?${sid}\\b`)),
    snap: (log) => expect(log).toMatch(/Sending snapshot last zxid of peer is 0x[0-9a-f]+/),
  }, false);
});
