import type { RandomSource } from '@paddock/edges';
import type { ZkOp } from './dsl.js';
import type { ReadMode, ZkInput, ZkOutput } from './index.js';

/**
 * Changes to a linearizable history that make it non-linearizable for certain, whatever the
 * ops without reply did (data values are unique per write, so a state cannot come back).
 * Each returns undefined when the history has nothing it applies to.
 */
export interface Mutation {
  readonly name: string;
  /** The read modes in which the mutated history must fail. */
  readonly failsIn: readonly ReadMode[];
  apply(history: readonly ZkOp[], rng: RandomSource): ZkOp[] | undefined;
}

type Done = ZkOp & { readonly output: Extract<ZkOutput, { code: 'ok' }> };

const done = (o: ZkOp): o is Done => o.ret !== Infinity && o.output?.code === 'ok';
const before = (a: ZkOp, b: ZkOp): boolean => a.ret < b.call;
const is = (o: ZkOp, op: ZkInput['op'], path?: string): boolean => o.input.op === op && (path === undefined || o.input.path === path);

function pick<T>(rng: RandomSource, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(rng() * items.length)];
}

function replace(history: readonly ZkOp[], at: ZkOp, output: ZkOutput): ZkOp[] {
  return history.map((o) => (o === at ? { ...o, output } : o));
}

/** The (data, version) a completed write left, or undefined for a delete or a failure. */
function written(o: ZkOp): ZkOutput | undefined {
  if (!done(o) || (o.input.op !== 'setData' && o.input.op !== 'create')) return undefined;
  if (o.input.op === 'create') return { code: 'ok', data: o.input.data, version: 0 };
  return o.output.version === undefined ? undefined : { code: 'ok', data: o.input.data, version: o.output.version };
}

const changes = (o: ZkOp): boolean => done(o) && (is(o, 'setData') || is(o, 'create') || is(o, 'delete'));

/** A getData sees the state of write W1 after a later write W completed before it was called. */
function staleRead(own: boolean): Mutation['apply'] {
  return (history, rng) => {
    const options: [ZkOp, ZkOutput][] = [];
    for (const r of history.filter((o) => done(o) && is(o, 'getData'))) {
      const path = r.input.path;
      const overwritten = history.filter((w) => changes(w) && is(w, w.input.op, path) && before(w, r) && (!own || w.client === r.client));
      for (const w1 of history) {
        const old = is(w1, w1.input.op, path) ? written(w1) : undefined;
        if (old !== undefined && overwritten.some((w) => before(w1, w))) options.push([r, old]);
      }
    }
    const chosen = pick(rng, options);
    return chosen && replace(history, chosen[0], chosen[1]);
  };
}

/** Pairs of completed sequential creates with the same prefix, one returned before the other was called. */
function seqPairs(history: readonly ZkOp[]): [Done, Done][] {
  const creates = history.filter((o): o is Done => done(o) && is(o, 'createSequential'));
  return creates.flatMap((a) => creates.filter((b) => before(a, b) && a.input.path === b.input.path).map((b): [Done, Done] => [a, b]));
}

const reusedSequence: Mutation['apply'] = (history, rng) => {
  const pair = pick(rng, seqPairs(history));
  return pair && replace(history, pair[1], pair[0].output);
};

const swappedCounters: Mutation['apply'] = (history, rng) => {
  const pair = pick(rng, seqPairs(history));
  return pair && replace(replace(history, pair[1], pair[0].output), pair[0], pair[1].output);
};

/** An acknowledged create missing from a later read, with no delete of it anywhere before. */
const lostCreate: Mutation['apply'] = (history, rng) => {
  const options: ZkOp[] = [];
  for (const c of history.filter((o) => done(o) && is(o, 'create'))) {
    const path = c.input.path;
    for (const r of history.filter((o) => done(o) && (is(o, 'getData', path) || is(o, 'exists', path)) && before(c, o))) {
      if (!history.some((d) => is(d, 'delete', path) && d.call <= r.ret)) options.push(r);
    }
  }
  const r = pick(rng, options);
  return r && replace(history, r, { code: 'NoNode' });
};

/** A getChildren without a child whose create was acknowledged before it, never deleted. */
const lostChild: Mutation['apply'] = (history, rng) => {
  const options: [ZkOp, readonly string[]][] = [];
  for (const a of history.filter((o): o is Done => done(o) && is(o, 'createSequential'))) {
    const path = a.output.path!;
    const name = path.slice(path.lastIndexOf('/') + 1);
    for (const g of history.filter((o): o is Done => done(o) && is(o, 'getChildren') && before(a, o))) {
      if (history.some((d) => is(d, 'delete', path) && d.call <= g.ret)) continue;
      if (g.output.children!.includes(name)) options.push([g, g.output.children!.filter((c) => c !== name)]);
    }
  }
  const chosen = pick(rng, options);
  return chosen && replace(history, chosen[0], { code: 'ok', children: chosen[1] });
};

const phantomRead: Mutation['apply'] = (history, rng) => {
  const r = pick(rng, history.filter((o): o is Done => done(o) && is(o, 'getData')));
  return r && replace(history, r, { code: 'ok', data: 'never written', version: r.output.version! });
};

const ALL: readonly ReadMode[] = ['linearizable', 'sequential'];

export const MUTATIONS: readonly Mutation[] = [
  { name: 'stale read after a completed write', failsIn: ['linearizable'], apply: staleRead(false) },
  { name: 'a client missing its own completed write', failsIn: ALL, apply: staleRead(true) },
  { name: 'reused sequence number', failsIn: ALL, apply: reusedSequence },
  { name: 'sequence numbers out of order', failsIn: ALL, apply: swappedCounters },
  { name: 'lost write (an acknowledged create)', failsIn: ['linearizable'], apply: lostCreate },
  { name: 'lost child of an acknowledged sequential create', failsIn: ['linearizable'], apply: lostChild },
  { name: 'a value nobody wrote', failsIn: ALL, apply: phantomRead },
];
