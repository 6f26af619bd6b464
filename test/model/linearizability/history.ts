import { OptionError } from '@paddock/edges';
import type { Model } from './model.js';

/**
 * One client operation as a harness or simulator saw it. Times are numbers from one monotonic
 * clock (any unit). An op that got no reply (timeout, connection loss: it may or may not have
 * happened) has `ret: Infinity` and no `output`, as Jepsen's `:info` ops: the checker lets it
 * take effect at any point after its call, or never.
 */
export interface HistoryOp<I, O> {
  /** The logical process: one op at a time, and nothing after an op that never returned. */
  readonly client: number | string;
  readonly call: number;
  readonly ret: number;
  readonly input: I;
  readonly output?: O;
  /**
   * A read issued after a completed `sync` on the same session: always checked as
   * linearizable, whatever the read mode. Its `call` must be the sync's call time (the sync
   * is what makes the follower catch up, so the read may take effect from then on).
   */
  readonly synced?: boolean;
}

export type History<I, O> = readonly HistoryOp<I, O>[];

/** A bound on what one check accepts, so a runaway recorder gets an error, not a hang. */
const MAX_HISTORY_OPS = 1_000_000;

function checkTimes(op: HistoryOp<unknown, unknown>, where: string): void {
  if (typeof op.call !== 'number' || !Number.isFinite(op.call)) {
    throw new OptionError(`${where}.call`, op.call, 'must be a finite number');
  }
  if (typeof op.ret !== 'number' || Number.isNaN(op.ret) || op.ret < op.call || op.ret === -Infinity) {
    throw new OptionError(`${where}.ret`, op.ret, `must be a number >= call (${op.call}), or Infinity for no reply`);
  }
  const open = op.ret === Infinity;
  if (open && op.output !== undefined) {
    throw new OptionError(`${where}.output`, op.output, 'must be absent when ret is Infinity (no reply came)');
  }
  if (!open && op.output === undefined) {
    throw new OptionError(`${where}.output`, op.output, `must be given when the op returned (ret ${op.ret})`);
  }
}

function checkOne<I, O>(model: Model<unknown, I, O>, op: HistoryOp<I, O>, where: string): void {
  if (typeof op !== 'object' || op === null) throw new OptionError(where, op, 'must be an operation object');
  if (typeof op.client !== 'number' && typeof op.client !== 'string') {
    throw new OptionError(`${where}.client`, op.client, 'must be a number or a string');
  }
  checkTimes(op, where);
  if (op.synced !== undefined && typeof op.synced !== 'boolean') {
    throw new OptionError(`${where}.synced`, op.synced, 'must be true or false when given');
  }
  model.validate(op.input, op.output, where);
  if (op.synced === true && !model.isRead(op.input)) {
    throw new OptionError(`${where}.synced`, op.synced, 'is only meaningful on a read');
  }
}

/** Each client's ops, in call order, one at a time, an op without reply only last. */
function checkClients(history: History<unknown, unknown>): void {
  const last = new Map<number | string, number>();
  const order = history.map((_, i) => i).sort((a, b) => history[a]!.call - history[b]!.call || a - b);
  for (const i of order) {
    const op = history[i]!;
    const prev = last.get(op.client);
    if (prev !== undefined) {
      const before = history[prev]!;
      if (before.ret === Infinity) {
        throw new OptionError(`history[${i}].client`, op.client, `must not act after history[${prev}] got no reply (use a new client id)`);
      }
      if (before.ret > op.call) {
        throw new OptionError(`history[${i}].call`, op.call, `must not be before history[${prev}] of the same client returned (${before.ret})`);
      }
    }
    last.set(op.client, i);
  }
}

/** Throws an OptionError naming the first bad op; returns the history typed. */
export function validateHistory<I, O>(model: Model<unknown, I, O>, history: unknown): History<I, O> {
  if (!Array.isArray(history)) throw new OptionError('history', history, 'must be an array of operations');
  if (history.length > MAX_HISTORY_OPS) {
    throw new OptionError('history.length', history.length, `must be at most ${MAX_HISTORY_OPS}`);
  }
  const ops = history as History<I, O>;
  ops.forEach((op, i) => checkOne(model, op, `history[${i}]`));
  checkClients(ops);
  return ops;
}
