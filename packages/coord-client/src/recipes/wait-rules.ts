import type { SequencedNode } from './paths.js';

/**
 * Which node a contender at `index` of the sorted contenders waits for, or null when it holds
 * the lock. Each rule names one node, so each release wakes only the contenders that can go
 * next (no herd). `ownedByHolder` tells nodes of the same holder (a write lock the reader's
 * own ReadWriteLock holds), which never block it.
 */
export type WaitRule = (sorted: readonly SequencedNode[], index: number, ownedByHolder: (name: string) => boolean) => string | null;

/** Mutex and write lock: the immediate predecessor, whatever its kind. */
export const predecessor: WaitRule = (sorted, index) => (index === 0 ? null : sorted[index - 1]!.name);

/** Read lock: the last writer before us; readers do not block readers. */
export const lastWriterBefore: WaitRule = (sorted, index, ownedByHolder) => {
  for (let i = index - 1; i >= 0; i--) {
    const n = sorted[i]!;
    if (n.kind === WRITE && !ownedByHolder(n.name)) return n.name;
  }
  return null;
};

export const WRITE = 'write';
export const READ = 'read';

/** A sort of lock node: its name prefix, the kinds that share its directory and its wait rule. */
export interface LockKind {
  readonly kind: string;
  readonly sharesWith: ReadonlySet<string>;
  readonly waitFor: WaitRule;
}

export const MUTEX: LockKind = { kind: 'lock', sharesWith: new Set(['lock']), waitFor: predecessor };
export const READ_LOCK: LockKind = { kind: READ, sharesWith: new Set([READ, WRITE]), waitFor: lastWriterBefore };
export const WRITE_LOCK: LockKind = { kind: WRITE, sharesWith: new Set([READ, WRITE]), waitFor: predecessor };
