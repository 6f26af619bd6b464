import { Code, parentPath } from '@paddock/coord-protocol';
import { checkPath } from '../../arguments.js';
import type { RecipeEnv } from './env.js';
import { isKeeperCode, unless, withRetry } from './retry.js';

/** Rejects an invalid recipe path at construction with the client's BadArguments error. */
export function recipePath(path: string): string {
  checkPath(path);
  return path;
}

/** Creates `path` and its missing ancestors as persistent nodes; existing ones are fine. */
export async function ensurePath(env: RecipeEnv, path: string): Promise<void> {
  if (path === '/') return;
  await withRetry(env, `create ${path}`, async () => {
    try {
      await env.client.create(path);
    } catch (err) {
      if (isKeeperCode(err, Code.NodeExists)) return;
      if (!isKeeperCode(err, Code.NoNode)) throw err;
      // Missing parent: ancestors first, then ours (recursion depth is the path depth).
      await ensurePath(env, parentPath(path));
      await unless(Code.NodeExists, env.client.create(path));
    }
  }, path);
}
