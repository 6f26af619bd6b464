import type { Model } from './model.js';
import type { PreparedOp } from './prepare.js';

/**
 * Wing & Gong's search with Lowe's just-in-time linearization, as Porcupine runs it: the
 * ops' call and return events sit in one time-ordered doubly linked list; an op whose call
 * comes before the first pending return may be linearized next; linearizing it lifts both its
 * events out of the list; meeting a return whose op is not yet linearized means backtracking.
 * Each (set of linearized ops, model state) is tried once (memoized). The state is a set of
 * model states, so a nondeterministic model is searched as a deterministic one.
 */
type SearchOutcome = 'ok' | 'fail' | 'unknown';

export interface SearchResult {
  readonly outcome: SearchOutcome;
  readonly steps: number;
  /**
   * The latest return the search was ever stopped at. Every op returning before it was
   * linearized at some point, so the history up to any earlier time is linearizable; after
   * a 'fail', the history up to this time is not: it ends the shortest failing prefix.
   */
  readonly frontier: number;
}

interface StateSet<S> {
  readonly states: readonly S[];
  readonly key: string;
}

function stepAll<S, I, O>(model: Model<S, I, O>, from: StateSet<S>, op: PreparedOp<I, O>): StateSet<S> | undefined {
  const next = new Map<string, S>();
  for (const state of from.states) {
    for (const s of model.step(state, op.input, op.output)) next.set(model.key(s), s);
  }
  if (next.size === 0) return undefined;
  const keys = [...next.keys()].sort();
  return { states: keys.map((k) => next.get(k)!), key: keys.join('\n') };
}

/** The linearized set as a compact string (16 bits a char) for the memo. */
class OpSet {
  private readonly words: Uint16Array;
  constructor(size: number) {
    this.words = new Uint16Array(Math.ceil(size / 16) + 1);
  }
  has(i: number): boolean {
    return (this.words[i >> 4]! & (1 << (i & 15))) !== 0;
  }
  add(i: number): void {
    this.words[i >> 4]! |= 1 << (i & 15);
  }
  delete(i: number): void {
    this.words[i >> 4]! &= ~(1 << (i & 15));
  }
  key(): string {
    let out = '';
    for (const w of this.words) out += String.fromCharCode(w);
    return out;
  }
}

/** Event e = 2*op for the call, 2*op+1 for the return; HEAD is the sentinel before the first. */
class EventList {
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly head: number;
  constructor(ops: readonly PreparedOp<unknown, unknown>[]) {
    const events: number[] = [];
    ops.forEach((op, i) => {
      events.push(2 * i);
      if (op.ret !== Infinity) events.push(2 * i + 1);
    });
    const time = (e: number): number => ((e & 1) === 0 ? ops[e >> 1]!.from : ops[e >> 1]!.ret);
    // Equal times count as overlapping (calls first): never a false alarm from a coarse clock;
    // one client's order is kept by `after` instead.
    events.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
    this.head = 2 * ops.length;
    this.next = new Int32Array(2 * ops.length + 1).fill(-1);
    this.prev = new Int32Array(2 * ops.length + 1).fill(-1);
    let last = this.head;
    for (const e of events) {
      this.next[last] = e;
      this.prev[e] = last;
      last = e;
    }
  }
  private unlink(e: number): void {
    const p = this.prev[e]!;
    const n = this.next[e]!;
    this.next[p] = n;
    if (n >= 0) this.prev[n] = p;
  }
  private relink(e: number): void {
    const p = this.prev[e]!;
    const n = this.next[e]!;
    this.next[p] = e;
    if (n >= 0) this.prev[n] = e;
  }
  lift(op: number, open: boolean): void {
    this.unlink(2 * op);
    if (!open) this.unlink(2 * op + 1);
  }
  /** Undoes the latest lift (links are restored in the reverse order of removal). */
  unlift(op: number, open: boolean): void {
    if (!open) this.relink(2 * op + 1);
    this.relink(2 * op);
  }
}

/** Checks one partition; `maxSteps` bounds the work, after which the outcome is 'unknown'. */
export function searchPartition<S, I, O>(model: Model<S, I, O>, init: S, ops: readonly PreparedOp<I, O>[], maxSteps: number): SearchResult {
  const list = new EventList(ops);
  const done = new OpSet(ops.length);
  const memo = new Set<string>();
  const stack: { op: number; before: StateSet<S> }[] = [];
  let current: StateSet<S> = { states: [init], key: model.key(init) };
  let pendingReturns = ops.reduce((n, op) => n + (op.ret === Infinity ? 0 : 1), 0);
  let entry = list.next[list.head]!;
  let steps = 0;
  let frontier = -Infinity;
  while (pendingReturns > 0) {
    if (++steps > maxSteps) return { outcome: 'unknown', steps: steps - 1, frontier };
    const i = entry >> 1;
    const op = ops[i]!;
    if ((entry & 1) === 0) {
      const next = op.after < 0 || done.has(op.after) ? stepAll(model, current, op) : undefined;
      if (next !== undefined) {
        done.add(i);
        const key = `${done.key()}\u0000${next.key}`;
        if (!memo.has(key)) {
          memo.add(key);
          stack.push({ op: i, before: current });
          current = next;
          list.lift(i, op.ret === Infinity);
          if (op.ret !== Infinity) pendingReturns--;
          entry = list.next[list.head]!;
          continue;
        }
        done.delete(i);
      }
      entry = list.next[entry]!;
      continue;
    }
    // A return whose op is not linearized: nothing before it can be placed, so undo the latest.
    // It is the first return left in the list: all that returned before it are linearized.
    if (op.ret > frontier) frontier = op.ret;
    const top = stack.pop();
    if (top === undefined) return { outcome: 'fail', steps, frontier };
    const back = ops[top.op]!;
    current = top.before;
    done.delete(top.op);
    list.unlift(top.op, back.ret === Infinity);
    if (back.ret !== Infinity) pendingReturns++;
    entry = list.next[2 * top.op]!;
  }
  return { outcome: 'ok', steps, frontier: Infinity };
}
