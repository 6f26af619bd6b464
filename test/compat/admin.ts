import { Code, OpCode, Xid } from '@paddock/coord-protocol';
import { RawClient, encodeBody, type Target } from './raw-client.js';
import { LONG_SESSION, OPEN_ACL, encodeRecord } from './steps.js';
import { SUPER_CREDENTIAL } from './super-user.js';

/**
 * The runner's own housekeeping session, outside any transcript: it creates a scenario's root
 * before the scenario and deletes whatever the scenario left under it afterwards. It
 * authenticates as the suite's super user, so ACLs a scenario set cannot stop the cleanup.
 */

/** Bound on the nodes one cleanup visits, so a runaway scenario cannot make it spin. */
const MAX_CLEANUP_NODES = 10_000;

async function call(c: RawClient, op: number, body: unknown, ms: number, raw?: Buffer, xid?: number): Promise<{ err: number; body: unknown }> {
  const out = await Promise.race([
    c.request(op, raw ?? encodeBody(op, body), xid),
    new Promise<{ kind: 'timeout' }>((r) => setTimeout(() => r({ kind: 'timeout' }), ms).unref()),
  ]);
  if (out.kind !== 'reply') throw new Error(`admin ${op}: ${out.kind}`);
  return out;
}

async function withSession<T>(target: Target, ms: number, fn: (c: RawClient) => Promise<T>): Promise<T> {
  const { client, handshake } = await RawClient.open(target, { timeOut: LONG_SESSION, waitMs: ms });
  if (handshake.kind !== 'connected') throw new Error(`admin session refused: ${handshake.kind}`);
  try {
    const auth = encodeRecord('AuthPacket', { type: 0, scheme: 'digest', auth: Buffer.from(SUPER_CREDENTIAL) });
    const r = await call(client, OpCode.auth, null, ms, auth, Xid.auth);
    if (r.err !== Code.OK) throw new Error(`admin auth failed with ${r.err}`);
    return await fn(client);
  } finally {
    await call(client, OpCode.closeSession, null, ms).catch(() => undefined);
    client.destroy();
    await client.waitClosed(ms);
  }
}

async function deleteTree(c: RawClient, path: string, ms: number): Promise<void> {
  const order: string[] = [];
  const queue = [path];
  while (queue.length > 0) {
    if (order.length > MAX_CLEANUP_NODES) throw new Error(`cleanup of ${path}: more than ${MAX_CLEANUP_NODES} nodes`);
    const p = queue.shift()!;
    const r = await call(c, OpCode.getChildren, { path: p, watch: false }, ms);
    if (r.err === Code.NoNode) continue;
    order.push(p);
    // Only without super (a server not configured with it) can an ACL hide a node's children.
    if (r.err === Code.NoAuth) continue;
    if (r.err !== Code.OK) throw new Error(`cleanup: getChildren ${p} failed with ${r.err}`);
    for (const child of (r.body as { children: string[] }).children) queue.push(`${p}/${child}`);
  }
  for (const p of order.reverse()) {
    const r = await call(c, OpCode.delete, { path: p, version: -1 }, ms);
    if (r.err !== Code.OK && r.err !== Code.NoNode) throw new Error(`cleanup: delete ${p} failed with ${r.err}`);
  }
}

export async function makeRoot(target: Target, root: string, ms: number): Promise<void> {
  await withSession(target, ms, async (c) => {
    await deleteTree(c, root, ms);
    const r = await call(c, OpCode.create, { path: root, data: Buffer.alloc(0), acl: OPEN_ACL, flags: 0 }, ms);
    if (r.err !== Code.OK) throw new Error(`cannot create scenario root ${root}: ${r.err}`);
  });
}

export async function cleanRoot(target: Target, root: string, ms: number): Promise<void> {
  await withSession(target, ms, (c) => deleteTree(c, root, ms));
}
