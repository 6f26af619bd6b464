import { joinPath } from '@paddock/coord-protocol';
import type { CoordClient } from '../client.js';
import { recipeEnv } from './env.js';
import type { LockOptions } from './lock.js';
import { recipePath } from './paths.js';
import { SequenceLock } from './sequence-lock.js';
import { READ_LOCK, WRITE_LOCK } from './wait-rules.js';

/**
 * A distributed read/write lock (Curator's InterProcessReadWriteLock): readers and writers
 * queue as `read-`/`write-` ephemeral-sequential children of one directory. A reader waits
 * only for the last writer before it (readers share), a writer for its immediate predecessor.
 * Both halves are reentrant per object; the holder of the write lock may also take the read
 * lock (downgrade), never the reverse.
 */
export class ReadWriteLock {
  readonly readLock: SequenceLock;
  readonly writeLock: SequenceLock;

  constructor(client: CoordClient, path: string, opts: LockOptions = {}) {
    const env = recipeEnv(client, opts);
    recipePath(path);
    this.writeLock = new SequenceLock(env, path, WRITE_LOCK, opts.data);
    this.readLock = new SequenceLock(env, path, READ_LOCK, opts.data, (name) => this.writeLock.nodePath === joinPath(path, name));
  }
}
