/**
 * An immutable sorted set of child names with a 64-bit hash of its content (two 32-bit sums
 * of per-name hashes, so adding or removing a name updates it in O(1)). A search state keys
 * on the hash instead of spelling out a parent's thousand children at every step; two
 * different sets of the same size share a key with odds about 2^-64 per pair.
 */
export interface NameSet {
  readonly names: readonly string[];
  readonly h1: number;
  readonly h2: number;
}

/** Two FNV-1a style hashes with different offsets and primes. */
function hashes(name: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [a >>> 0, (b ^ (b >>> 15)) >>> 0];
}

/** Where `name` is, or where it would go (as ~index) when absent. */
function find(names: readonly string[], name: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = names[mid]!;
    if (m === name) return mid;
    if (m < name) lo = mid + 1;
    else hi = mid;
  }
  return ~lo;
}

export function nameSet(names: readonly string[]): NameSet {
  let set: NameSet = { names: [], h1: 0, h2: 0 };
  for (const n of names) set = withName(set, n);
  return set;
}

export const hasName = (set: NameSet, name: string): boolean => find(set.names, name) >= 0;

/** The set with `name` added (the same set when it is there already). */
export function withName(set: NameSet, name: string): NameSet {
  const at = find(set.names, name);
  if (at >= 0) return set;
  const names = [...set.names];
  names.splice(~at, 0, name);
  const [a, b] = hashes(name);
  return { names, h1: (set.h1 + a) >>> 0, h2: (set.h2 + b) >>> 0 };
}

export function withoutName(set: NameSet, name: string): NameSet {
  const at = find(set.names, name);
  if (at < 0) return set;
  const names = [...set.names];
  names.splice(at, 1);
  const [a, b] = hashes(name);
  return { names, h1: (set.h1 - a) >>> 0, h2: (set.h2 - b) >>> 0 };
}

export const nameSetKey = (set: NameSet): string => `${set.names.length}.${set.h1}.${set.h2}`;

/**
 * The names in `seen` (sorted, no duplicates) that `set` lacks, or undefined when `seen`
 * lacks one of the set's names.
 */
export function extraNames(set: NameSet, seen: readonly string[]): string[] | undefined {
  const known = set.names;
  const extra: string[] = [];
  let i = 0;
  for (const name of seen) {
    if (i < known.length && known[i] === name) i++;
    else if (i < known.length && known[i]! < name) return undefined;
    else extra.push(name);
  }
  return i === known.length ? extra : undefined;
}
