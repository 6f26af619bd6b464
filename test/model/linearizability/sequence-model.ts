import { extraNames, hasName, nameSet, nameSetKey, withName, withoutName, type NameSet } from './name-set.js';

/**
 * The children of one parent made by sequential creates. ZooKeeper names such a child
 * prefix + a 10-digit counter (the parent's cversion); the model holds only what a client can
 * rely on even when other changes bump cversion unseen (ephemerals of an expired session,
 * say): counters strictly increase in linearization order and are never reused, and
 * getChildren returns exactly the children that exist.
 *
 * A create that got no reply may have made a child whose name nobody saw. Such a child is
 * kept unnamed, in its place in the order of counters, until a getChildren or a delete names
 * it: since counters follow the order, the unnamed children take the unexplained names in
 * counter order.
 */
export interface SequenceState {
  /** Children known by name. */
  readonly children: NameSet;
  /**
   * The counters issued in linearization order, from the last known one before the first
   * unnamed child: a number is a known counter; a string is the name prefix of an unnamed
   * child (each string is also a child that exists). Always starts with a number (-1: none yet).
   */
  readonly issued: readonly (number | string)[];
}

const SUFFIX = /^\d{10}$/;

/** The counter of `name` made with `prefix`, or undefined when the name is not such a child. */
export function counterOf(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  return SUFFIX.test(digits) ? Number(digits) : undefined;
}

/** Can the unnamed entries take integers so the whole sequence strictly increases? */
function feasible(issued: readonly (number | string)[]): boolean {
  let floor = issued[0] as number;
  for (let i = 1; i < issued.length; i++) {
    const x = issued[i]!;
    if (typeof x === 'string') floor += 1;
    else if (x <= floor) return false;
    else floor = x;
  }
  return true;
}

/** Forgets known counters that no unnamed child sits after (only the last one bounds the next). */
function make(children: NameSet, issued: readonly (number | string)[]): SequenceState {
  const first = issued.findIndex((x) => typeof x === 'string');
  const kept = first < 0 ? issued.slice(-1) : issued.slice(first - 1);
  return { children, issued: kept };
}

export function sequenceInit(children: readonly string[], lastCounter: number): SequenceState {
  return make(nameSet(children), [lastCounter]);
}

export function sequenceKey(s: SequenceState): string {
  const issued = s.issued.length === 1 ? String(s.issued[0]) : JSON.stringify(s.issued);
  return `${nameSetKey(s.children)}|${issued}`;
}

/** A create -s: `name` undefined when no reply came (an unnamed child then exists). */
export function stepCreate(s: SequenceState, prefix: string, name: string | undefined): readonly SequenceState[] {
  if (name === undefined) return [make(s.children, [...s.issued, prefix])];
  const counter = counterOf(name, prefix);
  if (counter === undefined || hasName(s.children, name)) return [];
  const issued = [...s.issued, counter];
  return feasible(issued) ? [make(withName(s.children, name), issued)] : [];
}

/** Names unnamed child number `at` (an index into `issued`) as `name`, if its counter fits there. */
function nameAt(issued: readonly (number | string)[], at: number, name: string): (number | string)[] | undefined {
  const counter = counterOf(name, issued[at] as string);
  if (counter === undefined) return undefined;
  const named = [...issued];
  named[at] = counter;
  return feasible(named) ? named : undefined;
}

function unnamed(s: SequenceState): number[] {
  const at: number[] = [];
  for (let i = 1; i < s.issued.length; i++) if (typeof s.issued[i] === 'string') at.push(i);
  return at;
}

/** A getChildren reply sorted once (the same reply is tried at many search states). */
const sortedReplies = new WeakMap<readonly string[], readonly string[] | undefined>();

function sortedOnce(seen: readonly string[]): readonly string[] | undefined {
  if (!sortedReplies.has(seen)) {
    const sorted = [...seen].sort();
    sortedReplies.set(seen, sorted.some((c, i) => c === sorted[i - 1]) ? undefined : sorted);
  }
  return sortedReplies.get(seen);
}

const digits = (name: string): string => name.slice(-10);

/** getChildren: the known children and, in counter order, one extra name per unnamed child. */
export function stepGetChildren(s: SequenceState, seen: readonly string[]): readonly SequenceState[] {
  const sorted = sortedOnce(seen);
  const extra = sorted === undefined ? undefined : extraNames(s.children, sorted);
  const slots = unnamed(s);
  if (extra === undefined || extra.length !== slots.length) return [];
  if (extra.length === 0) return [s];
  // Unnamed children were issued in order, so their counters increase in that order.
  extra.sort((a, b) => (digits(a) < digits(b) ? -1 : digits(a) > digits(b) ? 1 : 0));
  let issued: (number | string)[] | undefined = [...s.issued];
  for (let k = 0; k < slots.length && issued !== undefined; k++) issued = nameAt(issued, slots[k]!, extra[k]!);
  return issued === undefined ? [] : [make(extra.reduce(withName, s.children), issued)];
}

/**
 * A delete of child `name` (version -1). `ok` undefined when no reply came. A name not known
 * may be an unnamed child: each place it could be is one possible next state.
 */
export function stepDelete(s: SequenceState, name: string, ok: boolean | undefined): readonly SequenceState[] {
  if (hasName(s.children, name)) {
    return ok === false ? [] : [make(withoutName(s.children, name), s.issued)];
  }
  const out: SequenceState[] = ok === true ? [] : [s];
  if (ok === false) return out;
  for (const at of unnamed(s)) {
    const issued = nameAt(s.issued, at, name);
    if (issued !== undefined) out.push(make(s.children, issued));
  }
  return out;
}
