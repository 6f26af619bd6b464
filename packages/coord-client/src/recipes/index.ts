// Coordination recipes (issue 4), exported as `@paddock/coord-client/recipes`.
export { RecipeError, RECIPE_ERRORS, type RecipeErrorCode } from './errors.js';
export type { RecipeOptions, RecipeRetryOptions, WaitOptions } from './env.js';
export { SequenceLock, type AcquireOptions, type LockEvents } from './sequence-lock.js';
export { Lock, type LockOptions } from './lock.js';
export { ReadWriteLock } from './read-write-lock.js';
export { LeaderElection, type LeaderElectionEvents, type LeaderElectionOptions, type Participant } from './leader-election.js';
export { ActiveStandby, type ActiveStandbyEvents, type ActiveStandbyOptions } from './active-standby.js';
export { Barrier } from './barrier.js';
export { DoubleBarrier } from './double-barrier.js';
export { Queue, type QueueOptions } from './queue.js';
export { Counter, type CounterOptions } from './counter.js';
export type { CacheChange, CacheEvents, CacheOptions, CacheWatchMode, ChildData } from './cache-types.js';
export type { CacheCore } from './cache-core.js';
export { NodeCache } from './node-cache.js';
export { ChildrenCache } from './children-cache.js';
export { TreeCache, type TreeCacheOptions } from './tree-cache.js';
