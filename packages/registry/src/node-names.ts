import { fromNodeName } from './instance-url.js';

/** Each name's index in `names`. */
function indexOf(names: readonly string[]): Map<string, number> {
  return new Map(names.map((n, k) => [n, k]));
}

/** Up to this many joins plus leaves are patched into the sorted list; more, and it is sorted anew. */
const PATCH_LIMIT = 16;

/**
 * Parses a node name once; a malformed one is logged once and remembered as null. Successive
 * lists of a node mostly differ by a name or two in the same order, so `update` walks the new
 * list in step with the last one and looks names up only where they part, and keeps its result
 * in `order` by patching the few values that came or went instead of sorting everything again.
 */
export class NodeNames<T> {
  private names: readonly string[] = [];
  private values: readonly (T | null)[] = [];
  private sorted: readonly T[] = [];

  constructor(
    private readonly parse: (url: string) => T,
    private readonly onBad: (name: string, err: unknown) => void,
    private readonly order: (a: T, b: T) => number,
  ) {}

  /**
   * The valid entries among `names` (each name once, as a node's children are), sorted by
   * `order`; forgets names no longer listed. Names already known are kept as the strings read
   * first, so a fresh read's copies die young. The result is a new array each time.
   */
  update(names: readonly string[]): readonly T[] {
    const lastNames = this.names;
    const lastValues = this.values;
    const kept: string[] = new Array<string>(names.length);
    const values: (T | null)[] = new Array<T | null>(names.length);
    const used = new Uint8Array(lastNames.length);
    const fresh: T[] = [];
    let byName: Map<string, number> | undefined;
    // A last name may come later than the walk: one was left out of it or matched off it.
    let outOfStep = false;
    let j = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      let at = -1;
      if (lastNames[j] === name) at = j++;
      else if (lastNames[j + 1] === name) { // one name left here
        at = j + 1;
        j += 2;
        outOfStep = true;
      } else if (j < lastNames.length || outOfStep) {
        byName ??= indexOf(lastNames);
        at = byName.get(name) ?? -1;
        outOfStep = true;
      } // else every last name was walked past in step: a new name (the usual join).
      const value = at >= 0 ? lastValues[at] as T | null : this.parseOrNull(name);
      kept[i] = at >= 0 ? lastNames[at] as string : name;
      values[i] = value;
      if (at >= 0) used[at] = 1;
      else if (value !== null) fresh.push(value);
    }
    const dropped: T[] = [];
    for (let k = 0; k < lastValues.length; k++) if (used[k] === 0 && lastValues[k] != null) dropped.push(lastValues[k] as T);
    this.names = kept;
    this.values = values;
    this.sorted = this.patch(dropped, fresh);
    return this.sorted;
  }

  /** The last sorted list without `dropped` and with `fresh`, patched in place when they are few. */
  private patch(dropped: readonly T[], fresh: readonly T[]): T[] {
    if (dropped.length === 0 && fresh.length === 0) return [...this.sorted];
    if (dropped.length + fresh.length > PATCH_LIMIT) {
      const gone = new Set(dropped);
      return [...this.sorted.filter((v) => !gone.has(v)), ...fresh].sort(this.order);
    }
    const list = [...this.sorted];
    for (const v of dropped) {
      // The first entry not before v, then on to v itself among equal ones.
      let at = this.firstAfter(list, v, false);
      while (at < list.length && list[at] !== v) at++;
      if (at < list.length) list.splice(at, 1);
    }
    for (const v of fresh) list.splice(this.firstAfter(list, v, true), 0, v);
    return list;
  }

  /** Binary search in `list`: the first index whose entry sorts after `v` (pastEqual) or not before it. */
  private firstAfter(list: readonly T[], v: T, pastEqual: boolean): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.order(list[mid] as T, v);
      if (c < 0 || (pastEqual && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private parseOrNull(name: string): T | null {
    try {
      return this.parse(fromNodeName(name));
    } catch (err) {
      this.onBad(name, err);
      return null;
    }
  }
}
