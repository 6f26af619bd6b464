import { CoordClient } from '@paddock/coord-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';
import { type Kind, MixedEnsemble } from './support/mixed.js';
import { childrenAt } from './support/tree-read.js';
import { until } from './support/wait.js';
import { WriteLoad } from './support/write-load.js';

// Issue 12, Must show: a running {ZooKeeper, ZooKeeper, ZooKeeper} ensemble becomes {Paddock,
// Paddock, Paddock} one seat at a time under a write load (the member killed -9, one of the
// other kind started in its seat with an empty data dir, so it syncs by SNAP, and serving
// before the next seat goes; followers first, the leader last), then back to ZooKeeper; every
// acknowledged write is kept and the client (our coord-client with all three addresses) never
// sees its session expire. Three processes on loopback.
const SUITE = 'rolling replacement of a ZooKeeper 3.8 ensemble by Paddock and back';
const skip = skipWithoutZooKeeper(SUITE);
/** Acknowledged creates wanted after each replacement before the next one starts. */
const ACKS = 100;
const STEP_MS = 240_000;

/**
 * How the newcomer in `seat` was synced, from ZooKeeper's logs since `marks`: a ZooKeeper
 * newcomer says it got a snapshot; a ZooKeeper leader says it sent one to a peer at zxid 0.
 * Between two Paddock servers nothing says so (our runtime logs no sync mode).
 */
function syncSeen(e: MixedEnsemble, seat: number, leader: number, marks: readonly number[]): 'SNAP' | 'not SNAP' | 'no log says' {
  const since = (id: number): string => e.log(id).slice(marks[id - 1]);
  if (e.kind(seat) === 'zk') return /Getting a snapshot from leader 0x[0-9a-f]+/.test(since(seat)) ? 'SNAP' : 'not SNAP';
  if (e.kind(leader) === 'zk') return /Sending snapshot last zxid of peer is 0x0,/.test(since(leader)) ? 'SNAP' : 'not SNAP';
  return 'no log says';
}

/** Replaces every seat by a member of `kind` with empty data, followers first; returns the sync proofs. */
async function rollTo(e: MixedEnsemble, kind: Kind, load: WriteLoad): Promise<string[]> {
  const leader = await e.waitForLeader(e.ids);
  const proofs: string[] = [];
  for (const seat of [...e.ids.filter((id) => id !== leader), leader]) {
    await e.kill(seat);
    await e.seatAs(seat, kind);
    const marks = e.ids.map((id) => e.log(id).length);
    e.start(seat);
    await e.waitServing(seat);
    const now = await e.waitForLeader(e.ids);
    proofs.push(`seat ${seat} (${kind}) under leader ${now} (${e.kind(now)}): ${syncSeen(e, seat, now, marks)}`);
    const before = load.acked.size;
    await until(`${ACKS} acknowledged writes after seat ${seat} became ${kind}`, () => load.acked.size >= before + ACKS, 60_000);
  }
  return proofs;
}

describe.skipIf(skip)(SUITE, () => {
  let ens: MixedEnsemble;
  let writer: CoordClient;
  let load: WriteLoad;
  beforeAll(async () => {
    ens = await MixedEnsemble.create(['zk', 'zk', 'zk']);
    await ens.startLed(3);
    writer = await CoordClient.connect(ens.connectString(), { sessionTimeout: 10_000 });
    load = new WriteLoad(writer, { parent: '/roll' });
    await load.start();
    await until(`${ACKS} acknowledged writes`, () => load.acked.size >= ACKS, 30_000);
  }, STEP_MS);
  afterAll(async () => {
    await load?.stop();
    await writer?.close().catch(() => undefined);
    await ens?.stop();
  });

  /** Every acknowledged create is on every seat; the client's session never expired. */
  async function expectNothingLost(): Promise<void> {
    expect(load.states).not.toContain('expired');
    const acked = [...load.acked];
    for (const seat of ens.ids) {
      const names = await childrenAt(ens.clientPort(seat), '/roll');
      expect(acked.filter((n) => !names.has(n)), `seat ${seat} (${ens.kind(seat)}) lacks acknowledged writes`).toEqual([]);
    }
  }

  it('{ZK, ZK, ZK} becomes {Paddock, Paddock, Paddock} one seat at a time', async () => {
    const proofs = await rollTo(ens, 'paddock', load);
    // The first two newcomers join the ZooKeeper leader, which logs the SNAP it sends.
    expect(proofs.slice(0, 2).every((p) => p.endsWith(': SNAP')), proofs.join('\n')).toBe(true);
    expect(ens.ids.map((id) => ens.kind(id))).toEqual(['paddock', 'paddock', 'paddock']);
    await expectNothingLost();
  }, STEP_MS);

  it('and back: {Paddock, Paddock, Paddock} becomes {ZK, ZK, ZK}', async () => {
    const proofs = await rollTo(ens, 'zk', load);
    // A ZooKeeper newcomer logs the SNAP it gets, whoever leads.
    expect(proofs.every((p) => p.endsWith(': SNAP')), proofs.join('\n')).toBe(true);
    await load.stop();
    await expectNothingLost();
  }, STEP_MS);
});
