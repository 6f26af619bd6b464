import { LOCK_NAMES, type SequencedNode } from '../common/sequence-names.js';

/**
 * Which node a contender at `index` of the sorted contenders waits for, or null when it holds
 * the lock. Each rule names one node, so each release wakes only the contenders that can go
 * next (no herd). The rules decide as Curator's drivers do, so both hold the same view.
 */
export type WaitRule = (sorted: readonly SequencedNode[], index: number) => string | null;

/** Mutex and write lock: the immediate predecessor, whatever its kind (Curator: maxLeases 1). */
export const predecessor: WaitRule = (sorted, index) => (index === 0 ? null : sorted[index - 1]!.name);

/** A writer of InterProcessReadWriteLock, by Curator's test: its name carries the writer's lock name. */
const isWriter = (name: string): boolean => name.includes(LOCK_NAMES.write);

/**
 * Read lock: it goes when no writer is before it, like Curator's reader. Curator watches the
 * first writer; we watch the last one before us, which goes last, so a reader wakes once.
 */
export const lastWriterBefore: WaitRule = (sorted, index) => {
  for (let i = index - 1; i >= 0; i--) {
    if (isWriter(sorted[i]!.name)) return sorted[i]!.name;
  }
  return null;
};

/** A sort of lock node: its lock name, the names stripped to sort its directory, its wait rule. */
export interface LockKind {
  readonly lockName: string;
  readonly sortNames: readonly string[];
  readonly waitFor: WaitRule;
}

/** InterProcessReadWriteLock strips the reader's name, then the writer's. */
const READ_WRITE: readonly string[] = [LOCK_NAMES.read, LOCK_NAMES.write];

export const MUTEX: LockKind = { lockName: LOCK_NAMES.mutex, sortNames: [LOCK_NAMES.mutex], waitFor: predecessor };
export const READ_LOCK: LockKind = { lockName: LOCK_NAMES.read, sortNames: READ_WRITE, waitFor: lastWriterBefore };
export const WRITE_LOCK: LockKind = { lockName: LOCK_NAMES.write, sortNames: READ_WRITE, waitFor: predecessor };
