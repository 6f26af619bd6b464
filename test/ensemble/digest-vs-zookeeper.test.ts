import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CoordClient, CreateMode, Ids, KeeperError, Perms } from '@paddock/coord-client';
import { OpCode } from '@paddock/coord-protocol';
import { RawSession, encode } from '../fuzz/wire.js';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';
import { mntrRow } from './support/mntr.js';
import { type PaddockMember, paddockMember, removeMember } from './support/paddock-ensemble.js';
import { treeAt, treeDiff } from './support/tree-read.js';
import { until } from './support/wait.js';
import { ZkEnsemble } from './support/zk-ensemble.js';

// A ZooKeeper 3.8 leader sends its tree digest with every txn (TxnDigest); our follower checks
// it after applying the txn, as ZooKeeper's own followers do (DataTree.compareDigest). Writes
// of every kind of txn a ZooKeeper leader proposes, through the leader and through our
// follower (forwarded), must leave our count at 0: our digest is ZooKeeper's, txn by txn.
// Then a divergence planted in our tree is caught, and counted on every later txn.
const SUITE = 'a Paddock follower checks a ZooKeeper 3.8 leader\'s digests';
const skip = skipWithoutZooKeeper(SUITE);
const TICK = 500;
/** How often ZooKeeper's leader reaps empty containers and expired TTL nodes (default 60 s). */
const REAP_MS = 250;
const BOUND_MS = 30_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function client(port: number, sessionTimeout = 6000): Promise<CoordClient> {
  const c = await CoordClient.connect(`127.0.0.1:${port}`, { sessionTimeout });
  cleanups.push(() => c.close().catch(() => undefined));
  return c;
}

/** The write must fail with `code`: a failed write is still a txn (ZooKeeper proposes an error txn). */
async function failsWith(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e instanceof KeeperError ? e.codeName : e).toBe(code);
}

/** Every kind of client write under `/${tag}` through `c`, each acknowledged. */
async function everyWrite(c: CoordClient, tag: string): Promise<void> {
  const r = `/${tag}`;
  await c.create(r, Buffer.from('root'));
  await c.create2(`${r}/p`, Buffer.from('p'));
  const seq = await c.create(`${r}/s-`, Buffer.from('s'), { mode: CreateMode.PERSISTENT_SEQUENTIAL });
  await c.create(`${r}/e`, Buffer.from('e'), { mode: CreateMode.EPHEMERAL });
  await c.create(`${r}/es-`, null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
  await c.create(`${r}/c`, null, { mode: CreateMode.CONTAINER });
  await c.create(`${r}/c/x`, Buffer.from('x'));
  await c.delete(`${r}/c/x`, 0); // the container is empty now: the leader reaps it (deleteContainer)
  await c.setData(`${r}/p`, Buffer.from('p1'), 0);
  await c.setData(`${r}/p`, null);
  await c.create(`${r}/acl`, Buffer.from('a'));
  await c.setACL(`${r}/acl`, [{ perms: Perms.READ | Perms.WRITE, id: { scheme: 'world', id: 'anyone' } }], 0);
  await c.multi([
    { type: 'create', path: `${r}/m`, data: Buffer.from('m') },
    { type: 'create', path: `${r}/m/q-`, options: { mode: CreateMode.PERSISTENT_SEQUENTIAL } },
    { type: 'setData', path: `${r}/p`, data: Buffer.from('p3') },
    { type: 'check', path: `${r}/acl`, version: 0 },
    { type: 'delete', path: seq },
  ]);
  await failsWith(c.multi([{ type: 'setData', path: `${r}/p`, data: null }, { type: 'create', path: `${r}/p` }]), 'NodeExists');
  await failsWith(c.create(`${r}/p`), 'NodeExists');
  await failsWith(c.delete(`${r}/nope`), 'NoNode');
  await failsWith(c.setData(`${r}/p`, null, 99), 'BadVersion');
  await c.delete(`${r}/m/q-0000000000`);
}

/** A session that creates an ephemeral and disappears without closing: the leader expires it. */
async function abandonedSession(port: number, path: string): Promise<void> {
  const s = await RawSession.open(port, 1000);
  const reply = await s.call(OpCode.create, encode('CreateRequest', { path, data: Buffer.from('gone'), acl: [...Ids.OPEN_ACL_UNSAFE], flags: CreateMode.EPHEMERAL }));
  expect(reply?.err).toBe(0);
  s.conn.destroy();
}

interface LogLine { readonly level: number; readonly msg: string }
const ERROR = 50;

/** Our member in seat `id`, logging into `lines`, once it serves in `role`. */
async function ourMember(ens: ZkEnsemble, id: number, role: string): Promise<{ member: PaddockMember; lines: LogLine[] }> {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  const observer = ens.member(id).role === 'observer';
  const member = paddockMember(id, ens.lines, { clientPort: ens.member(id).clientPort, tickTime: TICK, observer, logger });
  cleanups.push(async () => {
    await member.stop();
    removeMember(member);
  });
  await member.start();
  await until(`seat ${id} to serve as ${role}`, () => member.server!.serving && member.server!.quorum!.role === role, BOUND_MS);
  return { member, lines };
}

/** The mismatch count our member's mntr reports. */
async function mismatches(port: number): Promise<number> {
  const row = await mntrRow(port, 'digest_mismatches_count');
  if (row === undefined) throw new Error(`no zk_digest_mismatches_count in the mntr of ${port}`);
  return Number(row);
}

describe.skipIf(skip)(SUITE, () => {
  it('every kind of txn leaves 0 mismatches and the same tree; a planted divergence is counted on each later txn', async () => {
    const ens = await ZkEnsemble.start({
      members: [{ id: 1, external: true }, { id: 2 }, { id: 3 }, { id: 4, external: true, role: 'observer' }], tickTime: TICK, deferLaunch: true,
      extra: { extendedTypesEnabled: 'true' }, sysProps: [`-Dznode.container.checkIntervalMs=${REAP_MS}`],
    });
    cleanups.push(() => ens.stop());
    ens.launch(2);
    ens.launch(3);
    const leader = (await ens.waitForLeader()).id;
    const { member: ours, lines } = await ourMember(ens, 1, 'following');
    const { member: observer, lines: observerLines } = await ourMember(ens, 4, 'observing');
    const [zkPort, ourPort, observerPort] = [ens.member(leader).clientPort, ens.member(1).clientPort, ens.member(4).clientPort];

    const viaLeader = await client(zkPort);
    const viaOurs = await client(ourPort);
    await everyWrite(viaLeader, 'zk');
    await everyWrite(viaOurs, 'ours');
    await everyWrite(await client(observerPort), 'observed');
    await viaLeader.create('/zk/ttl', Buffer.from('t'), { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 100 });
    const closing = await client(ourPort);
    await closing.create('/ours/closed', null, { mode: CreateMode.EPHEMERAL });
    await closing.close(); // closeSession, with the ephemeral's path
    await abandonedSession(ourPort, '/ours/expired');
    // The leader reaps the empty containers and the TTL node, and expires the abandoned session.
    await until('containers, TTL node and expired ephemeral gone', async () => {
      const left = await Promise.all(['/zk/c', '/ours/c', '/zk/ttl', '/ours/expired'].map((p) => viaLeader.exists(p)));
      return left.every((s) => s === null);
    }, BOUND_MS);
    const zkTree = await treeAt(zkPort);
    for (const [port, logged] of [[ourPort, lines], [observerPort, observerLines]] as const) {
      expect(logged.filter((l) => l.msg.startsWith('The leader sends tree digests')), `${port} checked digests`).toHaveLength(1);
      expect(logged.filter((l) => l.level >= ERROR).map((l) => l.msg)).toEqual([]);
      expect(await mismatches(port)).toBe(0);
      expect(treeDiff(zkTree, await treeAt(port))).toEqual([]);
    }

    // A node of ours that is not the leader's: the next txn that touches it disagrees, and so
    // does every txn after it (the digest is a sum over the tree), each counted.
    const tree = ours.server!.pipeline.tree;
    const p = tree.getNode('/zk/p')!;
    tree.setData('/zk/p', Buffer.from('planted'), p.version, p.mzxid, p.mtime);
    await viaLeader.setData('/zk/p', Buffer.from('after'));
    await viaLeader.create('/zk/later1');
    await viaLeader.create('/zk/later2');
    await viaOurs.sync('/');
    expect(await mismatches(ourPort)).toBe(3);
    expect(lines.filter((l) => l.level >= ERROR).map((l) => l.msg)).toEqual([expect.stringMatching(/^Digest mismatch at zxid 0x[0-9a-f]+: the leader's tree digest is -?\d+, ours is -?\d+$/)]);
    expect(ours.server!.quorum!.role, 'a mismatch changes nothing else: ours still follows').toBe('following');
    expect(await mismatches(observerPort), 'the observer\'s tree was left alone').toBe(0);
    expect(observer.server!.quorum!.role).toBe('observing');
  }, 120_000);
});
