import type { History } from './history.js';
import type { Model } from './model.js';

/**
 * Which guarantee reads are held to. Writes are always checked for linearizability; a read
 * marked `synced` (it followed a completed sync) is always checked as linearizable too.
 * - `linearizable`: every read takes effect at one point between its call and its return
 *   (reads through the leader, on a single server, or after a sync).
 * - `sequential`: a plain read (ZooKeeper serves it from the follower's copy, possibly stale)
 *   may see any state the single write order passed through, no older than what the same
 *   client's previous op on that partition saw or did (read-your-writes, monotonic reads),
 *   and no newer than the state at its return. Checked per partition, not across keys.
 * - `excluded`: plain reads are not checked at all.
 */
export type ReadMode = 'linearizable' | 'sequential' | 'excluded';
export const READ_MODES: readonly ReadMode[] = ['linearizable', 'sequential', 'excluded'];

/** An op as the search sees it, in its partition. */
export interface PreparedOp<I, O> {
  /** Its index in the history. */
  readonly source: number;
  /** From when it may take effect: the real call, or earlier for a read allowed to be stale. */
  readonly from: number;
  readonly call: number;
  readonly ret: number;
  readonly input: I;
  readonly output: O | undefined;
  /** The index in the partition of the op it must follow (the same client's previous op), or -1. */
  readonly after: number;
  readonly read: boolean;
}

export interface Partition<I, O> {
  readonly key: string;
  readonly ops: readonly PreparedOp<I, O>[];
}

/** Drops what carries no information (a read without reply) or is not checked (by the mode). */
function kept<I, O>(model: Model<unknown, I, O>, history: History<I, O>, mode: ReadMode): number[] {
  const out: number[] = [];
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    const read = model.isRead(op.input);
    if (read && op.output === undefined) continue;
    if (read && op.synced !== true && mode === 'excluded') continue;
    out.push(i);
  }
  return out.sort((a, b) => history[a]!.call - history[b]!.call || a - b);
}

function buildPartition<I, O>(model: Model<unknown, I, O>, history: History<I, O>, key: string, indices: readonly number[], mode: ReadMode): Partition<I, O> {
  const lastOf = new Map<number | string, number>();
  const ops: PreparedOp<I, O>[] = [];
  for (const source of indices) {
    const op = history[source]!;
    const read = model.isRead(op.input);
    const after = lastOf.get(op.client) ?? -1;
    const stale = read && mode === 'sequential' && op.synced !== true;
    // A stale read may take effect as early as its client's previous op here could (it must
    // still follow that op in the order, which `after` enforces), or at the very start.
    const from = stale ? (after >= 0 ? ops[after]!.from : -Infinity) : op.call;
    ops.push({ source, from, call: op.call, ret: op.ret, input: op.input, output: op.output, after, read });
    lastOf.set(op.client, ops.length - 1);
  }
  return { key, ops };
}

/** Splits a validated history into independent partitions, ops in call order in each. */
export function preparePartitions<I, O>(model: Model<unknown, I, O>, history: History<I, O>, mode: ReadMode): Partition<I, O>[] {
  const groups = new Map<string, number[]>();
  for (const i of kept(model, history, mode)) {
    const key = model.partition(history[i]!.input);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(i);
  }
  return [...groups].map(([key, indices]) => buildPartition(model, history, key, indices, mode));
}
