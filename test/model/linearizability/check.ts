import { OptionError, checkOption } from '@paddock/edges';
import { describeViolation, shrink, type Violation } from './counterexample.js';
import { validateHistory } from './history.js';
import type { Model } from './model.js';
import { READ_MODES, preparePartitions, type ReadMode } from './prepare.js';
import { searchPartition } from './search.js';

export interface CheckOptions {
  /** What plain (unsynced) reads are held to; see ReadMode. Default 'linearizable'. */
  readonly reads?: ReadMode;
  /** The search's work bound over all partitions; past it the verdict is 'unknown'. */
  readonly maxSteps?: number;
  /** The work bound for shrinking a counterexample (the verdict stands either way). */
  readonly shrinkSteps?: number;
}

const DEFAULT_MAX_STEPS = 5_000_000;
const DEFAULT_SHRINK_STEPS = 1_000_000;

interface Tally {
  /** Search steps spent, over all partitions. */
  readonly steps: number;
  /** Partitions checked (a violation or an unknown stops the check early). */
  readonly partitions: number;
}

export type CheckResult =
  | (Tally & { readonly verdict: 'linearizable' })
  | (Tally & { readonly verdict: 'violation'; readonly violation: Violation })
  | (Tally & { readonly verdict: 'unknown'; readonly partition: string; readonly reason: string });

function readOptions(options: CheckOptions): Required<CheckOptions> {
  if (typeof options !== 'object' || options === null) throw new OptionError('options', options, 'must be an object');
  const reads = checkOption.oneOf('options.reads', options.reads ?? 'linearizable', READ_MODES);
  const maxSteps = checkOption.intAtLeast('options.maxSteps', options.maxSteps ?? DEFAULT_MAX_STEPS, 1);
  const shrinkSteps = checkOption.intAtLeast('options.shrinkSteps', options.shrinkSteps ?? Math.min(maxSteps, DEFAULT_SHRINK_STEPS), 0);
  return { reads, maxSteps, shrinkSteps };
}

/**
 * Is `history` linearizable with respect to `model` (writes always; reads as `options.reads`
 * says)? Each partition is searched alone within what is left of the step budget. A bad
 * history throws an OptionError naming the op; a history the budget cannot decide is
 * 'unknown', never a hang.
 */
export function checkLinearizability<S, I, O>(model: Model<S, I, O>, history: unknown, options: CheckOptions = {}): CheckResult {
  const { reads, maxSteps, shrinkSteps } = readOptions(options);
  const ops = validateHistory<I, O>(model, history);
  let steps = 0;
  let partitions = 0;
  for (const part of preparePartitions<I, O>(model, ops, reads)) {
    const init = model.init(part.key);
    const r = searchPartition(model, init, part.ops, maxSteps - steps);
    steps += r.steps;
    partitions++;
    if (r.outcome === 'unknown') {
      const reason = `step budget of ${maxSteps} spent in ${part.key} (${part.ops.length} ops); raise options.maxSteps or check fewer concurrent ops`;
      return { verdict: 'unknown', partition: part.key, reason, steps, partitions };
    }
    if (r.outcome === 'fail') {
      const violation = describeViolation<I, O>(model, ops, part.key, shrink(model, init, part.ops, r.frontier, r.steps, shrinkSteps));
      return { verdict: 'violation', violation, steps, partitions };
    }
  }
  return { verdict: 'linearizable', steps, partitions };
}
