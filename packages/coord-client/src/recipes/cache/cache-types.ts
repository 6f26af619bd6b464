import type { Stat } from '@paddock/coord-protocol';
import type { RecipeOptions } from '../common/env.js';
import type { RecipeError } from '../common/errors.js';

/** A cached node: its path, data and Stat as of the last read. */
export interface ChildData {
  readonly path: string;
  readonly data: Buffer;
  readonly stat: Stat;
}

/** `updated` means the data changed (a new mzxid); child-count changes are not reported. */
export interface CacheChange {
  readonly type: 'added' | 'updated' | 'removed';
  readonly node: ChildData;
}

/**
 * `change` for every node added, updated or removed (the initial load reports `added`), then
 * `initialized` once. `refreshed` after a full re-read, e.g. after a reconnect. `closed` when
 * the cache stops, with the reason unless close() was called.
 */
export type CacheEvents = {
  change: [change: CacheChange];
  initialized: [];
  refreshed: [];
  closed: [reason: RecipeError | null];
};

/**
 * `auto` tries a persistent (recursive) watch once and falls back to one-shot watches when the
 * server answers Unimplemented (ZooKeeper before 3.6); `persistent` and `oneShot` force one.
 */
export type CacheWatchMode = 'auto' | 'persistent' | 'oneShot';

export interface CacheOptions extends RecipeOptions {
  readonly watchMode?: CacheWatchMode;
  /** Most nodes held; beyond it the cache closes with TooManyNodes. Default 100000. */
  readonly maxNodes?: number;
}
