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
 * Rebuilds a partition with some ops opened (they may take effect, with the result they had,
 * at any point after their call, or never: a relaxation of having taken effect before their
 * return) and some dropped; a dropped op's successor then follows its predecessor, so each
 * client's order is kept. Keeping the result keeps the search about as small as before.
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
    out.push(f === 'open' ? { ...op, after, ret: Infinity } : { ...op, after });
  });
  return out;
}

/** The history up to `t`: later calls gone, ops still running at `t` opened. */
export function prefix<I, O>(ops: readonly PreparedOp<I, O>[], t: number): PreparedOp<I, O>[] {
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

/** The least a relaxation trial may spend, however quickly the prefix itself was refuted. */
const TRIAL_STEPS = 2_000;

interface Trials<S, I, O> {
  readonly model: Model<S, I, O>;
  readonly init: S;
  /** Steps any one trial may take: a relaxation that makes the search much longer is not worth it. */
  readonly cap: number;
  left: number;
  /** A trial ran out of steps: that op might have been relaxable after all. */
  unsure: boolean;
}

/** Does the partition still fail with `fate` applied (within the trial's cap)? */
function stillFails<S, I, O>(t: Trials<S, I, O>, ops: readonly PreparedOp<I, O>[], fate: (op: PreparedOp<I, O>) => Fate, cap = t.cap): PreparedOp<I, O>[] | undefined {
  const tried = reshape(ops, fate);
  const r = searchPartition(t.model, t.init, tried, Math.min(cap, t.left));
  t.left -= r.steps;
  if (r.outcome === 'unknown') t.unsure = true;
  return r.outcome === 'fail' ? tried : undefined;
}

const relaxed = <I, O>(op: PreparedOp<I, O>): Fate => (op.ret === Infinity ? 'keep' : op.read ? 'drop' : 'open');

/**
 * Relaxes at once every op called before some time, the latest such time that still fails
 * (more relaxed is weaker, so a binary search): on a long history most of the past goes in
 * a few trials.
 */
function relaxPast<S, I, O>(t: Trials<S, I, O>, ops: PreparedOp<I, O>[]): PreparedOp<I, O>[] {
  const calls = [...new Set(ops.map((op) => op.call))].sort((a, b) => a - b);
  let best = ops;
  let lo = 0;
  let hi = calls.length - 1;
  while (lo <= hi && t.left > 0) {
    const mid = (lo + hi) >> 1;
    // Opened ops stay candidates for the rest of the search, so this may cost a lot: a part only.
    const tried = stillFails(t, ops, (op) => (op.call < calls[mid]! ? relaxed(op) : 'keep'), Math.ceil(t.left / 8));
    if (tried === undefined) hi = mid - 1;
    else {
      best = tried;
      lo = mid + 1;
    }
  }
  return best;
}

/**
 * Shrinks a failing partition: to its shortest failing prefix (`prefixEnd`, from the search),
 * then relaxes the past in one go, then each op left, latest first (a read dropped, a write
 * opened: it may take effect, with its result, at any point after its call, or never) while
 * the rest still fails. Every relaxation only allows more orders, so what is left still
 * proves the history wrong. `searchSteps` (what refuting it took) sets each trial's cap.
 */
export function shrink<S, I, O>(model: Model<S, I, O>, init: S, ops: readonly PreparedOp<I, O>[], prefixEnd: number, searchSteps: number, maxSteps: number): Shrunk<I, O> {
  const t: Trials<S, I, O> = { model, init, cap: Math.max(TRIAL_STEPS, 4 * searchSteps), left: maxSteps, unsure: false };
  let current = relaxPast(t, prefix(ops, prefixEnd));
  t.unsure = false;
  for (const source of current.map((op) => op.source).reverse()) {
    if (t.left <= 0) {
      t.unsure = true;
      break;
    }
    const target = current.find((op) => op.source === source);
    if (target === undefined || target.ret === Infinity) continue;
    current = stillFails(t, current, (op) => (op === target ? relaxed(op) : 'keep')) ?? current;
  }
  const closedBy = ops.find((op) => op.ret === prefixEnd)!.source;
  return { ops: current, prefixEnd, closedBy, minimal: !t.unsure };
}

function line<I, O>(model: Model<unknown, I, O>, history: History<I, O>, i: number): string {
  const op = history[i]!;
  const ret = op.ret === Infinity ? 'no reply' : String(op.ret);
  const out = op.ret === Infinity ? undefined : op.output;
  return `  #${i} client ${String(op.client)} [${op.call}, ${ret}]${op.synced === true ? ' synced' : ''}: ${model.describe(op.input, out)}`;
}

/** At most this many ops of each list are written out (the latest ones); `ops` and `context` hold all. */
const SHOWN = 24;

function lines<I, O>(model: Model<unknown, I, O>, history: History<I, O>, which: readonly number[]): string[] {
  const shown = which.slice(-SHOWN).map((i) => line(model, history, i));
  return which.length > SHOWN ? [`  ... ${which.length - SHOWN} earlier op(s) not shown`, ...shown] : shown;
}

/** The counterexample as text, one line per op. */
export function describeViolation<I, O>(model: Model<unknown, I, O>, history: History<I, O>, partition: string, shrunk: Shrunk<I, O>): Violation {
  const ops = shrunk.ops.filter((op) => op.ret !== Infinity).map((op) => op.source);
  const context = shrunk.ops.filter((op) => op.ret === Infinity).map((op) => op.source);
  const { closedBy } = shrunk;
  const text = [
    `not linearizable (${model.name}) on ${partition}`,
    `shortest failing prefix: up to t=${shrunk.prefixEnd}, when #${closedBy} returned`,
    `no order of these ${ops.length} op(s) explains their results${shrunk.minimal ? '' : ' (maybe more than needed: the shrink ran out of steps)'}:`,
    ...lines(model, history, ops),
  ];
  if (context.length > 0) {
    text.push(`even if each of these ${context.length} op(s) took effect (with the result shown) at any point after its call, or never:`);
    text.push(...lines(model, history, context));
  }
  return { partition, prefixEnd: shrunk.prefixEnd, closedBy, ops, context, minimal: shrunk.minimal, text: text.join('\n') };
}
