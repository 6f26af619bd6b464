import { createHash } from 'node:crypto';
import { CoordClient, CreateMode, EventType, Ids, MultiError, Perms, type ACL, type Stat } from '@paddock/coord-client';
import type { DataTree } from '../../packages/coord-server/src/tree/data-tree.js';

/** Sessions long enough that nothing expires while a test runs. */
const SESSION_MS = 30_000;
const DIGEST_USER = 'alice:secret';
const HOUR_MS = 3_600_000;
const REAP_WAIT_MS = 10_000;

/** ZooKeeper's digest id for user:password: user:base64(sha1(user:password)). */
function digestId(userPassword: string): string {
  const user = userPassword.slice(0, userPassword.indexOf(':'));
  return `${user}:${createHash('sha1').update(userPassword).digest('base64')}`;
}

/** Resolves once `path` is gone (a container the server reaps), within a bound. */
async function waitGone(c: CoordClient, path: string): Promise<void> {
  let watched!: () => void;
  const deleted = new Promise<void>((resolve) => { watched = resolve; });
  const stat = await c.exists(path, (e) => { if (e.type === EventType.NodeDeleted) watched(); });
  if (stat === null) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${path} was not reaped within ${REAP_WAIT_MS} ms`)), REAP_WAIT_MS);
  });
  try {
    await Promise.race([deleted, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Makes every kind of change a ZooKeeper txn log can hold, through our client: sessions
 * created and closed, persistent, sequential, ephemeral, container and TTL creates (null,
 * empty and non-ASCII data and paths), sets, versioned deletes, a container the server reaps
 * (deleteContainer), setACL with digest ACLs, a multi that commits and one that fails, and a
 * failed single create (an error txn). Returns the clients whose sessions must stay open: one
 * of them owns an ephemeral, so sessions and ephemerals reach the snapshot.
 */
export async function everyKindOfChange(connectString: string): Promise<CoordClient[]> {
  const a = await CoordClient.connect(connectString, { sessionTimeout: SESSION_MS });
  const b = await CoordClient.connect(connectString, { sessionTimeout: SESSION_MS });
  const keeper = await CoordClient.connect(connectString, { sessionTimeout: SESSION_MS });
  await a.create('/app', 'root data');
  await a.create2('/app/seq-', 'one', { mode: CreateMode.PERSISTENT_SEQUENTIAL });
  await a.create('/app/seq-', null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
  await a.create('/app/empty', '');
  await keeper.create('/app/kept', 'ephemeral', { mode: CreateMode.EPHEMERAL });
  await b.create('/app/gone', 'ephemeral', { mode: CreateMode.EPHEMERAL });
  await b.create2('/app/gone-', '', { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
  await a.create('/box', null, { mode: CreateMode.CONTAINER });
  await a.create('/box/item', 'x');
  await a.create('/reaped', null, { mode: CreateMode.CONTAINER });
  await a.create('/reaped/tmp', '');
  await a.delete('/reaped/tmp');
  await waitGone(a, '/reaped');
  await a.create('/ttl', 'lives', { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: HOUR_MS });
  await a.create('/ttl-', 'x', { mode: CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, ttl: HOUR_MS });
  await a.setData('/app', 'v1');
  await a.setData('/app', 'v2', 1);
  await a.create('/app/doomed', 'x');
  await a.delete('/app/doomed', 0);
  await a.addAuth('digest', DIGEST_USER);
  await a.create('/secure', 'mine', { acl: Ids.CREATOR_ALL_ACL });
  await a.setACL('/app/empty', [
    { perms: Perms.ALL, id: { scheme: 'digest', id: digestId(DIGEST_USER) } },
    { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
  ]);
  await a.multi([
    { type: 'create', path: '/m', data: 'multi' },
    { type: 'setData', path: '/app', data: 'v3' },
    { type: 'check', path: '/app', version: 3 },
    { type: 'create', path: '/m/child', data: null, options: { mode: CreateMode.PERSISTENT_SEQUENTIAL } },
    { type: 'delete', path: '/box/item' },
    { type: 'create', path: '/box/item2', data: 'y' },
  ]);
  const failed = await a.multi([
    { type: 'create', path: '/m2', data: 'never' },
    { type: 'check', path: '/app', version: 999 },
    { type: 'setData', path: '/app', data: 'never' },
  ]).then(() => null, (e: unknown) => e);
  if (!(failed instanceof MultiError)) throw new Error(`the failing multi did not fail with MultiError: ${String(failed)}`);
  const exists = await a.create('/app', 'again').then(() => null, (e: unknown) => e);
  if (exists === null) throw new Error('creating /app twice did not fail');
  await a.create('/ünïcode-ß', 'ä');
  await b.close();
  return [a, keeper];
}

/** What a client sees of one node. */
export interface NodeView {
  readonly data: string | null;
  readonly stat: Stat;
  readonly acl: readonly ACL[];
}

/** Every node a client can read, by path (data as hex, null for null data). */
export async function readTree(c: CoordClient): Promise<Map<string, NodeView>> {
  const out = new Map<string, NodeView>();
  const stack = ['/'];
  while (stack.length > 0) {
    const path = stack.pop()!;
    const { data, nullData, stat } = await c.getData(path);
    const { acl } = await c.getACL(path);
    out.set(path, { data: nullData ? null : data.toString('hex'), stat, acl });
    for (const child of await c.getChildren(path)) stack.push(path === '/' ? `/${child}` : `${path}/${child}`);
  }
  return out;
}

/** The same view of our tree. */
export function viewOf(tree: DataTree): Map<string, NodeView> {
  const out = new Map<string, NodeView>();
  for (const [path, node] of tree.entries()) {
    out.set(path, {
      data: node.data === null ? null : node.data.toString('hex'),
      stat: node.stat(),
      acl: node.acl.map((a) => ({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } })),
    });
  }
  return out;
}
