import type { History } from './history.js';
import type { Model } from './model.js';
import type { PreparedOp } from './prepare.js';
import { searchPartition } from './search.js';

/** Why a history is not linearizable, in terms a person can check by hand. */
export interface Violation {
  /** The partition (key) where no order exists. */
  readonly partition: string;
  /** The shortest failing prefix is the history up to this time, when op `closedBy` returned. */
  readonly prefixEnd: number;
  readonly closedBy: number;
  /** Completed ops (history indices, in call order) whose results no order can explain... */
  readonly ops: readonly number[];
  /** ...even when these ops of the prefix may each have happened at any point after their call, or never. */
  readonly context: readonly number[];
  /** False when the shrink ran out of budget: `ops` may hold more than the contradiction needs. */
  readonly minimal: boolean;
  readonly text: string;
}

type Fate = 'keep' | 'open' | 'drop';

/**
 * Rebuilds a partition with some ops left without reply and some dropped; a dropped op's
 * successor then follows its predecessor, so each client's order is kept.
 */
function reshape<I, O>(ops: readonly PreparedOp<I, O>[], fate: (op: PreparedOp<I, O>, i: number) => Fate): PreparedOp<I, O>[] {
  const at = new Int32Array(ops.length).fill(-1);
  const out: PreparedOp<I, O>[] = [];
  ops.forEach((op, i) => {
    const f = fate(op, i);
    const after = op.after < 0 ? -1 : at[op.after]!;
    if (f === 'drop') {
      at[i] = after;
      return;
    }
    at[i] = out.length;
    out.push(f === 'open' ? { ...op, after, ret: Infinity, output: undefined } : { ...op, after });
  });
  return out;
}

/** What the history up to `t` shows: later calls gone, later returns not yet come. */
function prefix<I, O>(ops: readonly PreparedOp<I, O>[], t: number): PreparedOp<I, O>[] {
  return reshape(ops, (op) => {
    if (op.call > t) return 'drop';
    if (op.ret <= t) return 'keep';
    return op.read ? 'drop' : 'open';
  });
}

interface Shrunk<I, O> {
  readonly ops: readonly PreparedOp<I, O>[];
  readonly prefixEnd: number;
  readonly closedBy: number;
  readonly minimal: boolean;
}

/** The shortest failing prefix (failing is prefix-closed, so a binary search over return times). */
function shortestPrefix<S, I, O>(model: Model<S, I, O>, init: S, ops: readonly PreparedOp<I, O>[], budget: { left: number }): number {
  const times = [...new Set(ops.filter((op) => op.ret !== Infinity).map((op) => op.ret))].sort((a, b) => a - b);
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi && budget.left > 0) {
    const mid = (lo + hi) >> 1;
    const r = searchPartition(model, init, prefix(ops, times[mid]!), budget.left);
    budget.left -= r.steps;
    if (r.outcome === 'fail') hi = mid;
    else lo = mid + 1;
  }
  return times[hi]!;
}

/**
 * Shrinks a failing partition: first to its shortest failing prefix, then each completed op
 * in turn is relaxed (a read dropped, a write left without reply) while the rest still fails.
 * Every relaxation only allows more orders, so what is left still proves the history wrong.
 */
export function shrink<S, I, O>(model: Model<S, I, O>, init: S, ops: readonly PreparedOp<I, O>[], maxSteps: number): Shrunk<I, O> {
  const budget = { left: maxSteps };
  const prefixEnd = shortestPrefix(model, init, ops, budget);
  let current = prefix(ops, prefixEnd);
  // Reads first: dropping them is cheap and makes the later searches smaller.
  const order = [...current.keys()].sort((a, b) => Number(current[b]!.read) - Number(current[a]!.read) || a - b);
  const sources = order.map((i) => current[i]!.source);
  let minimal = true;
  for (const source of sources) {
    if (budget.left <= 0) {
      minimal = false;
      break;
    }
    const target = current.find((op) => op.source === source);
    if (target === undefined || target.ret === Infinity) continue;
    const tried = reshape(current, (op) => (op !== target ? 'keep' : op.read ? 'drop' : 'open'));
    const r = searchPartition(model, init, tried, budget.left);
    budget.left -= r.steps;
    if (r.outcome === 'fail') current = tried;
    else if (r.outcome === 'unknown') minimal = false;
  }
  const closedBy = ops.find((op) => op.ret === prefixEnd)!.source;
  return { ops: current, prefixEnd, closedBy, minimal };
}

/** One op; `replied` false shows its reply as `?` (a context op's reply is not relied on). */
function line<I, O>(model: Model<unknown, I, O>, history: History<I, O>, i: number, replied: boolean): string {
  const op = history[i]!;
  const ret = op.ret === Infinity ? 'no reply' : String(op.ret);
  const out = replied ? op.output : undefined;
  return `  #${i} client ${String(op.client)} [${op.call}, ${ret}]${op.synced === true ? ' synced' : ''}: ${model.describe(op.input, out)}`;
}

/** The counterexample as text, one line per op. */
export function describeViolation<I, O>(model: Model<unknown, I, O>, history: History<I, O>, partition: string, shrunk: Shrunk<I, O>): Violation {
  const ops = shrunk.ops.filter((op) => op.ret !== Infinity).map((op) => op.source);
  const context = shrunk.ops.filter((op) => op.ret === Infinity).map((op) => op.source);
  const { closedBy } = shrunk;
  const lines = [
    `not linearizable (${model.name}) on ${partition}`,
    `shortest failing prefix: up to t=${shrunk.prefixEnd}, when #${closedBy} returned`,
    `no order of these ${ops.length} op(s) explains their results${shrunk.minimal ? '' : ' (not fully shrunk: step budget ran out)'}:`,
    ...ops.map((i) => line(model, history, i, true)),
  ];
  if (context.length > 0) {
    lines.push(`even if each of these ${context.length} op(s) took effect at any point after its call, or never (their replies not relied on):`);
    lines.push(...context.map((i) => line(model, history, i, false)));
  }
  return { partition, prefixEnd: shrunk.prefixEnd, closedBy, ops, context, minimal: shrunk.minimal, text: lines.join('\n') };
}
