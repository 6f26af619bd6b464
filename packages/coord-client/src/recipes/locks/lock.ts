import type { CoordClient } from '../../client.js';
import type { Data } from '../../types.js';
import { recipeEnv, type RecipeOptions } from '../common/env.js';
import { recipePath } from '../common/paths.js';
import { SequenceLock } from './sequence-lock.js';
import { MUTEX } from './wait-rules.js';

export interface LockOptions extends RecipeOptions {
  /** Stored in our lock node, e.g. who holds it (shown by participants' getData). */
  readonly data?: Data;
}

/**
 * A distributed mutex (ZooKeeper's lock recipe, Curator's InterProcessMutex): contenders are
 * ephemeral-sequential children of `path`; each waits only for its immediate predecessor, so
 * a release wakes one waiter. One Lock object is one holder: acquiring it again while held is
 * reentrant and needs as many release() calls. Use one object per contender.
 */
export class Lock extends SequenceLock {
  constructor(client: CoordClient, path: string, opts: LockOptions = {}) {
    super(recipeEnv(client, opts), recipePath(path), MUTEX, opts.data);
  }
}
