import { Code, joinPath, type CreateModeValue } from '@paddock/coord-protocol';
import type { Data } from '../../types.js';
import type { Deadline } from './deadline.js';
import type { RecipeEnv } from './env.js';
import { ensurePath } from './paths.js';
import { isKeeperCode, isRetryable, recover } from './retry.js';

/** The child of `dir` whose name starts with `prefix` (a protected name), or null. */
export async function findByPrefix(env: RecipeEnv, dir: string, prefix: string): Promise<string | null> {
  const name = (await env.client.getChildren(dir)).find((c) => c.startsWith(prefix));
  return name === undefined ? null : joinPath(dir, name);
}

/**
 * Creates `<dir>/<prefix><name>` (plus the sequence, in a sequential mode). A create whose reply
 * is lost to ConnectionLoss may have happened anyway, so after reconnecting we look for our
 * prefix (it carries a unique id) before creating again: a retry never leaves a second node
 * behind to block others. Missing parents are created. Returns the path, or null when the
 * deadline came first; the caller then removes whatever may exist under the prefix.
 */
export async function createProtected(
  env: RecipeEnv, dir: string, prefix: string, name: string, data: Data | null | undefined, mode: CreateModeValue, deadline: Deadline,
): Promise<string | null> {
  let unsure = false;
  for (let attempt = 1; ; attempt++) {
    if (deadline.expired) return null;
    try {
      if (unsure) {
        const found = await findByPrefix(env, dir, prefix);
        if (found !== null) return found;
        unsure = false;
      }
      return await env.client.create(joinPath(dir, prefix + name), data, { mode });
    } catch (err) {
      if (isKeeperCode(err, Code.NoNode) && attempt < env.maxAttempts) {
        await ensurePath(env, dir);
        continue;
      }
      if (isRetryable(err)) unsure = true;
      await recover(env, err, attempt, `create ${prefix}${name} in ${dir}`, deadline, dir);
    }
  }
}
