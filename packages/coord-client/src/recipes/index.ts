// Coordination recipes, exported as `@paddock/coord-client/recipes`.
export { RecipeError, RECIPE_ERRORS, type RecipeErrorCode } from './common/errors.js';
export type { RecipeOptions, RecipeRetryOptions, WaitOptions } from './common/env.js';
export { SequenceLock, type AcquireOptions, type LockEvents } from './locks/sequence-lock.js';
export { Lock, type LockOptions } from './locks/lock.js';
export { ReadWriteLock } from './locks/read-write-lock.js';
export { LeaderElection, type LeaderElectionEvents, type LeaderElectionOptions, type Participant } from './leader/leader-election.js';
export { ActiveStandby, type ActiveStandbyEvents, type ActiveStandbyOptions } from './leader/active-standby.js';
export { Barrier } from './barriers/barrier.js';
export { DoubleBarrier } from './barriers/double-barrier.js';
export { Queue, type QueueOptions } from './queue/queue.js';
export { Counter, type CounterOptions } from './atomic/counter.js';
export type { CacheChange, CacheEvents, CacheOptions, CacheWatchMode, ChildData } from './cache/cache-types.js';
export type { CacheCore } from './cache/cache-core.js';
export { NodeCache } from './cache/node-cache.js';
export { ChildrenCache } from './cache/children-cache.js';
export { TreeCache, type TreeCacheOptions } from './cache/tree-cache.js';
