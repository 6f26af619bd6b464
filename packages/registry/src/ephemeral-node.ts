import { Code, CreateMode, EventType, KeeperError, type ClientState, type CoordClient } from '@paddock/coord-client';
import type { Clock, Logger } from '@paddock/edges';
import { parentOf } from './layout.js';
import { hasCode } from './outage.js';
import { hex } from './session-keeper.js';

/** Creates a persistent path and its missing ancestors; existing ones are fine. */
export async function ensurePath(client: CoordClient, path: string): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  let at = '';
  for (const part of parts) {
    at += `/${part}`;
    try {
      await client.create(at);
    } catch (err) {
      if (!hasCode(err, Code.NodeExists)) throw err;
    }
  }
}

export interface EphemeralContext {
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a same-named node of another session is waited for before it is removed. */
  readonly staleWaitMs: number;
}

/** Rounds of create → exists → wait; each round ends in success or a deletion seen. */
const MAX_ROUNDS = 5;

/**
 * Creates an ephemeral node for this session. A node of the same name may already be there:
 * - ours (a create whose reply was lost to a connection drop, retried): done;
 * - left by another, older session whose expiry the server has not processed yet: watched until
 *   it is deleted, at most `staleWaitMs`, then removed. It is never taken for ours: ownership is
 *   told by the Stat's ephemeralOwner, not by the name.
 */
export async function createEphemeral(client: CoordClient, path: string, ctx: EphemeralContext): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    try {
      await client.create(path, null, { mode: CreateMode.EPHEMERAL });
      return;
    } catch (err) {
      if (hasCode(err, Code.NoNode)) {
        await ensurePath(client, parentOf(path));
        continue;
      }
      if (!hasCode(err, Code.NodeExists)) throw err;
    }
    if (await waitOutStale(client, path, ctx) === 'ours') return;
  }
  throw new KeeperError(Code.NodeExists, path);
}

async function waitOutStale(client: CoordClient, path: string, ctx: EphemeralContext): Promise<'ours' | 'gone'> {
  let onDeleted: () => void = () => {};
  const deleted = new Promise<void>((resolve) => { onDeleted = resolve; });
  const stat = await client.exists(path, (e) => {
    if (e.type === EventType.NodeDeleted) onDeleted();
  });
  if (stat === null) return 'gone';
  if (stat.ephemeralOwner === client.sessionId) return 'ours';
  const fields = { path, owner: hex(stat.ephemeralOwner), waitMs: ctx.staleWaitMs };
  ctx.logger.warn(fields, 'registry: a node of the same name belongs to another session; waiting for it to go');
  let timer: unknown;
  let onState: (s: ClientState) => void = () => {};
  const late = new Promise<'late'>((resolve) => { timer = ctx.clock.setTimeout(() => resolve('late'), ctx.staleWaitMs); });
  // A session that ends meanwhile (closed, expired) has nothing left to wait for.
  const ended = new Promise<'ended'>((resolve) => {
    onState = (s) => { if (s === 'closed' || s === 'expired' || s === 'authFailed') resolve('ended'); };
    client.on('state', onState);
  });
  const outcome = await Promise.race([deleted.then(() => 'deleted' as const), late, ended]);
  ctx.clock.clearTimeout(timer);
  client.off('state', onState);
  if (outcome === 'ended') throw new KeeperError(Code.SessionExpired, path);
  if (outcome === 'deleted') return 'gone';
  // Still there after the old session's timeout: remove it, unless it has been replaced meanwhile.
  const now = await client.exists(path);
  if (now !== null && now.czxid === stat.czxid) {
    ctx.logger.warn(fields, 'registry: removing a node of the same name left by another session');
    try {
      await client.delete(path);
    } catch (err) {
      if (!hasCode(err, Code.NoNode)) throw err;
    }
  }
  return 'gone';
}
