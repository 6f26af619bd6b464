import type { CoordClient } from '../../client.js';
import { recipeEnv } from '../common/env.js';
import type { LockOptions } from './lock.js';
import { recipePath } from '../common/paths.js';
import { SequenceLock } from './sequence-lock.js';
import { READ_LOCK, WRITE_LOCK } from './wait-rules.js';

/**
 * A distributed read/write lock, Curator's InterProcessReadWriteLock on the same directory:
 * readers and writers queue as `__READ__`/`__WRIT__` ephemeral-sequential children. A reader
 * goes when no writer is before it (readers share), a writer when it is first. Both halves are
 * reentrant per object; the holder of the write lock may also take the read lock (downgrade),
 * never the reverse.
 */
export class ReadWriteLock {
  readonly readLock: SequenceLock;
  readonly writeLock: SequenceLock;

  constructor(client: CoordClient, path: string, opts: LockOptions = {}) {
    const env = recipeEnv(client, opts);
    recipePath(path);
    this.writeLock = new SequenceLock(env, path, WRITE_LOCK, opts.data);
    this.readLock = new SequenceLock(env, path, READ_LOCK, opts.data, () => this.writeLock.nodePath);
  }
}
