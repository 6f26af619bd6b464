/**
 * The names of sequential contender nodes, as Apache Curator (5.x) spells them, so that our
 * recipes and Curator's queue in one order on the same path. A contender is
 * `<protected prefix><lock name><10-digit sequence>`, created with ZooKeeper's sequential flag.
 */
export const LOCK_NAMES = {
  /** InterProcessMutex (also what LeaderSelector and InterProcessSemaphoreV2's `locks` use). */
  mutex: 'lock-',
  /** InterProcessReadWriteLock's readers. */
  read: '__READ__',
  /** InterProcessReadWriteLock's writers: "__WRIT__" (sic), the same length as the reader's name. */
  write: '__WRIT__',
  /** LeaderLatch candidates. */
  latch: 'latch-',
  /** Our Queue's items (Curator's DistributedQueue has a layout of its own). */
  queueItem: 'item-',
} as const;

/** Curator's protected mode: `_c_<uuid>-` before the name finds a node again after a lost create reply. */
const PROTECTED_PREFIX = '_c_';

/** The name prefix of a protected create: the id makes our node findable after a lost reply. */
export function protectedPrefix(id: string): string {
  return `${PROTECTED_PREFIX}${id}-`;
}

/**
 * The part of a name that orders it, exactly as Curator's StandardLockInternalsDriver
 * `fixForSorting` does: for each lock name in turn, drop everything up to its last occurrence.
 * A name without it stays whole. So the protected prefix (and anything else before the lock
 * name) never matters, and mixed Curator and Paddock nodes sort alike in both.
 */
export function sortKey(name: string, lockNames: readonly string[]): string {
  let key = name;
  for (const lockName of lockNames) {
    const at = key.lastIndexOf(lockName);
    if (at >= 0) key = key.slice(at + lockName.length);
  }
  return key;
}

export interface SequencedNode {
  readonly name: string;
  /** What the node sorts by (its sequence for nodes of ours and of Curator). */
  readonly key: string;
}

/**
 * The contenders among `names` in queue order: the children carrying one of `lockNames`, sorted
 * by their keys as Java compares strings (UTF-16 code units, as JavaScript's `<` does). Curator
 * counts every child; a foreign child (no lock name) mostly sorts after the zero-padded
 * sequences anyway, and where it sorts first it only holds Curator's side back, never lets two
 * holders in, so we ignore it.
 */
export function sortBySequence(names: readonly string[], lockNames: readonly string[]): SequencedNode[] {
  const nodes: SequencedNode[] = [];
  for (const name of names) {
    if (lockNames.some((l) => name.includes(l))) nodes.push({ name, key: sortKey(name, lockNames) });
  }
  // Equal keys only come from a read lock that borrows its holder's write sequence: any order is right.
  return nodes.sort((a, b) => compare(a.key, b.key) || compare(a.name, b.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
