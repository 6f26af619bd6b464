import { Code } from '@paddock/coord-protocol';
import { isTerminal } from '../../states.js';
import type { RecipeEnv } from './env.js';
import { findByPrefix } from './protected-create.js';
import { isKeeperCode, isRetryable, unless } from './retry.js';
import { isConnected, watchSession } from './session.js';

/** Which node to remove: a known path, or whatever child of `dir` carries a protected prefix. */
export type OwnedNode = { readonly path: string } | { readonly dir: string; readonly prefix: string };

async function removeOnce(env: RecipeEnv, node: OwnedNode): Promise<void> {
  const path = 'path' in node ? node.path : await unless(Code.NoNode, findByPrefix(env, node.dir, node.prefix));
  if (path !== null) await unless(Code.NoNode, env.client.delete(path));
}

/**
 * Deletes a node this session created (a lock node after a timeout or release, a candidate
 * that leaves). It never waits out a disconnection: the delete is tried again on each
 * reconnect, up to the retry bound, because a node left behind by a live session would block
 * every other contender. Once the session is over there is nothing to do: ephemerals went with it.
 */
export async function removeOwned(env: RecipeEnv, node: OwnedNode, rounds = 0): Promise<void> {
  for (let attempt = 1; attempt <= env.maxAttempts; attempt++) {
    if (isTerminal(env.client.state)) return;
    if (!isConnected(env.client.state)) break;
    try {
      await removeOnce(env, node);
      return;
    } catch (err) {
      if (isKeeperCode(err, Code.SessionExpired) || isTerminal(env.client.state)) return;
      if (!isRetryable(err)) throw err;
    }
  }
  if (rounds + 1 >= env.maxAttempts) return;
  const stop = watchSession(env.client, {
    resumed: () => {
      stop();
      removeOwned(env, node, rounds + 1).catch(() => undefined);
    },
    ended: () => stop(),
  });
}
