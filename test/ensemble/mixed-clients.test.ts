import { type ClientState, CoordClient, CreateMode, EventType, type WatchedEvent } from '@paddock/coord-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';
import { type Kind, MixedEnsemble } from './support/mixed.js';
import { afterSync } from './support/tree-read.js';
import { until } from './support/wait.js';

// Issue 12, Must show: in a mixed ensemble (three processes on loopback, Paddock and Debian
// ZooKeeper 3.8), writes through any server are read on every server after sync, each server
// fires watches for its own clients, and a session moves between a ZooKeeper and a Paddock
// follower (the one it is on killed -9) keeping its id and its ephemerals.
const SUITE = 'clients of a mixed ensemble';
const skip = skipWithoutZooKeeper(SUITE);
const STEP_MS = 90_000;
const SESSION_MS = 10_000;

/** Connects to the listed seats in that order (random 0.999 keeps the host order as written). */
async function connect(ens: MixedEnsemble, ids: readonly number[]): Promise<CoordClient> {
  return CoordClient.connect(ens.connectString(ids), { sessionTimeout: SESSION_MS, random: () => 0.999 });
}

/** Resolves with the first node event the watcher gets (connection-state events aside), or fails after `ms`. */
function nextEvent(ms = 15_000): { watcher: (e: WatchedEvent) => void; event: Promise<WatchedEvent> } {
  let resolve: (e: WatchedEvent) => void = () => {};
  const event = new Promise<WatchedEvent>((res, rej) => {
    resolve = res;
    setTimeout(() => rej(new Error(`no watch event within ${ms} ms`)), ms).unref();
  });
  return { watcher: (e) => e.type !== EventType.None && resolve(e), event };
}

/** Each seat's client syncs and reads `path`; returns the values in seat order. */
async function readEverywhere(clients: readonly CoordClient[], path: string): Promise<string[]> {
  const out: string[] = [];
  for (const c of clients) {
    await c.sync(path);
    out.push((await c.getData(path)).data.toString());
  }
  return out;
}

/** The ephemeral owner of `path` as each seat reads it after sync ('none' when absent). */
async function ownersEverywhere(ens: MixedEnsemble, ids: readonly number[], path: string): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    const stat = await afterSync(ens.clientPort(id), path, (c) => c.exists(path));
    out.push(stat ? `0x${BigInt.asUintN(64, BigInt(stat.ephemeralOwner)).toString(16)}` : 'none');
  }
  return out;
}

function clientsOf(kinds: readonly Kind[]): void {
  let ens: MixedEnsemble;
  let clients: CoordClient[] = [];
  beforeAll(async () => {
    ens = await MixedEnsemble.create(kinds);
    await ens.startLed(3);
    // Each on its own seat first, the others after it, so a seat's kill below moves it rather than expiring it.
    clients = await Promise.all(ens.ids.map((id) => connect(ens, [id, ...ens.ids.filter((x) => x !== id)])));
  }, STEP_MS);
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await ens?.stop();
  });

  it('a write through any server is read on every server after sync', async () => {
    await clients[0]!.create('/mixed', Buffer.from('0'));
    for (const [i, c] of clients.entries()) {
      await c.setData('/mixed', Buffer.from(`through ${i + 1}`));
      await c.create(`/mixed/from-${i + 1}`, Buffer.from(kinds[i]!));
      expect(await readEverywhere(clients, '/mixed')).toEqual(clients.map(() => `through ${i + 1}`));
    }
    for (const c of clients) expect((await c.getChildren('/mixed')).sort()).toEqual(['from-1', 'from-2', 'from-3']);
  }, STEP_MS);

  it('each server fires the watches its own clients set, whichever server took the write', async () => {
    const created = clients.map(() => nextEvent());
    for (const [i, c] of clients.entries()) expect(await c.exists('/watched', created[i]!.watcher)).toBeNull();
    await clients[0]!.create('/watched', Buffer.from('a'));
    for (const w of created) expect(await w.event).toMatchObject({ type: EventType.NodeCreated, path: '/watched' });

    const changed = clients.map(() => nextEvent());
    for (const [i, c] of clients.entries()) await c.getData('/watched', changed[i]!.watcher);
    await clients[1]!.setData('/watched', Buffer.from('b'));
    for (const w of changed) expect(await w.event).toMatchObject({ type: EventType.NodeDataChanged, path: '/watched' });

    const children = clients.map(() => nextEvent());
    for (const [i, c] of clients.entries()) await c.getChildren('/watched', children[i]!.watcher);
    await clients[2]!.create('/watched/child');
    for (const w of children) expect(await w.event).toMatchObject({ type: EventType.NodeChildrenChanged, path: '/watched' });
  }, STEP_MS);

  for (const [from, to] of [[1, 2], [2, 1]] as const) {
    it(`a session on seat ${from} (${kinds[from - 1]}) moves to seat ${to} (${kinds[to - 1]}) when ${from} is killed, keeping its ephemeral`, async () => {
      const mover = await connect(ens, [from, to]);
      const states: ClientState[] = [];
      mover.on('state', (s) => states.push(s));
      const id = `0x${mover.sessionId.toString(16)}`;
      const path = `/moved-from-${from}`;
      await mover.create(path, Buffer.from(id), { mode: CreateMode.EPHEMERAL });
      await ens.kill(from);
      await until(`the session to reconnect to seat ${to}`, () => states.includes('connected'), SESSION_MS * 2);
      expect(`0x${mover.sessionId.toString(16)}`).toBe(id);
      await mover.sync(path);
      expect((await mover.getData(path)).data.toString()).toBe(id);
      expect(await ownersEverywhere(ens, [to, 3], path)).toEqual([id, id]);
      ens.start(from);
      await ens.waitServing(from);
      expect(await ownersEverywhere(ens, [1, 2, 3], path)).toEqual([id, id, id]);
      await mover.close();
      expect(await ownersEverywhere(ens, [1, 2, 3], path)).toEqual(['none', 'none', 'none']);
      expect(states).not.toContain('expired');
    }, STEP_MS);
  }
}

describe.skipIf(skip)(`${SUITE}: {ZooKeeper, Paddock, Paddock leader}`, () => {
  clientsOf(['zk', 'paddock', 'paddock']);
});

describe.skipIf(skip)(`${SUITE}: {Paddock, ZooKeeper, ZooKeeper leader}`, () => {
  clientsOf(['paddock', 'zk', 'zk']);
});
