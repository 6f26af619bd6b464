import { seededRandom, type RandomSource } from '@paddock/edges';
import type { ZkOp } from './dsl.js';
import type { ZkInput, ZkModelOptions } from './index.js';
import { answer, ReferenceZk, type Snapshot } from './reference-zk.js';

/**
 * Random histories that are linearizable by construction: ops run one at a time on a
 * reference tree at points 10 apart (the linearization), and each op's call and return are
 * spread around its point, so ops overlap at random while the real order still admits the
 * points' order. An op may get no reply (then it took effect at its point, or never), and a
 * read may be answered from an older state (a follower's stale copy) within what sequential
 * consistency allows: no older than what its client last saw or did on that key.
 */
export interface GenerateOptions {
  readonly clients: number;
  readonly ops: number;
  /** Register znodes /k/0.. (the even ones exist at the start). */
  readonly keys: number;
  /** Sequence parents /q0.. */
  readonly parents: number;
  /** How far a call or a return may be from the op's point. */
  readonly spread: number;
  /** The share of ops that get no reply. */
  readonly noReply: number;
  /** The share of reads answered from an older state (0 for a linearizable history). */
  readonly stale: number;
}

export interface Generated {
  readonly history: ZkOp[];
  readonly options: ZkModelOptions;
}

const STEP = 10;

interface Client {
  id: number;
  /** When its last op returned. */
  free: number;
  /** Per key: the index in that key's log of the state its last op saw or made. */
  readonly seen: Map<string, number>;
}

class Run {
  readonly rng: RandomSource;
  readonly ref: ReferenceZk;
  readonly history: ZkOp[] = [];
  /** Per key, each state it went through, so a stale read can be answered. */
  readonly logs = new Map<string, Snapshot[]>();
  readonly clients: Client[];
  private nextId: number;

  constructor(seed: number, readonly o: GenerateOptions) {
    this.rng = seededRandom(seed);
    const parents = Array.from({ length: o.parents }, (_, i) => `/q${i}`);
    this.ref = new ReferenceZk(['/k', ...this.initialKeys(), ...parents]);
    this.clients = Array.from({ length: o.clients }, (_, id) => ({ id, free: -Infinity, seen: new Map() }));
    this.nextId = o.clients;
  }

  initialKeys(): string[] {
    return Array.from({ length: this.o.keys }, (_, i) => `/k/${i}`).filter((_, i) => i % 2 === 0);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)]!;
  }

  int(n: number): number {
    return Math.floor(this.rng() * n);
  }

  /** What a read of `key` (a znode, or a sequence parent's children) sees now. */
  snapshot(key: string): Snapshot {
    return this.ref.snapshot(key.startsWith('/q') ? { op: 'getChildren', path: key } : { op: 'getData', path: key });
  }

  log(key: string): Snapshot[] {
    let log = this.logs.get(key);
    if (log === undefined) this.logs.set(key, (log = [this.snapshot(key)]));
    return log;
  }

  /** A new client id for a client whose op got no reply (it must not act again). */
  retire(c: Client): void {
    c.id = this.nextId++;
    c.seen.clear();
  }
}

function registerInput(run: Run, path: string, n: number): ZkInput {
  const node = run.ref.node(path);
  const version = (): number => run.pick([-1, -1, node?.version ?? 0, (node?.version ?? 0) + 1]);
  const r = run.rng();
  if (r < 0.15) return { op: 'create', path, data: `d${n}` };
  if (r < 0.25) return { op: 'delete', path, version: version() };
  if (r < 0.55) return { op: 'setData', path, data: `d${n}`, version: version() };
  return r < 0.85 ? { op: 'getData', path } : { op: 'exists', path };
}

function childrenInput(run: Run, parent: string): ZkInput {
  const r = run.rng();
  if (r < 0.5) return { op: 'createSequential', path: `${parent}/${run.pick(['item-', 'job-'])}` };
  if (r < 0.8) return { op: 'getChildren', path: parent };
  const names = [...(run.ref.node(parent)!.children), 'item-0000099999'];
  return { op: 'delete', path: `${parent}/${run.pick(names)}`, version: -1 };
}

function chooseInput(run: Run, n: number): { input: ZkInput; key: string } {
  if (run.o.parents > 0 && run.rng() < 0.3) {
    const parent = `/q${run.int(run.o.parents)}`;
    if (run.rng() < 0.03) run.ref.bump(parent);
    return { input: childrenInput(run, parent), key: parent };
  }
  const path = `/k/${run.int(run.o.keys)}`;
  return { input: registerInput(run, path, n), key: path };
}

const READS = new Set(['getData', 'exists', 'getChildren']);

/** Runs one op at `point` for client `c` and records it. */
function runOp(run: Run, c: Client, point: number): void {
  const { input, key } = chooseInput(run, run.history.length);
  const log = run.log(key);
  const read = READS.has(input.op);
  const lost = run.rng() < run.o.noReply;
  const floor = c.seen.get(key) ?? 0;
  let seen = log.length - 1;
  let output;
  if (read && run.rng() < run.o.stale) {
    seen = floor + run.int(log.length - floor);
    output = answer(input, log[seen]!);
  } else if (!lost || run.rng() < 0.5) {
    output = run.ref.apply(input);
    // Only a stale read looks back, so without them the states need not be kept.
    if (!read && run.o.stale > 0) log.push(run.snapshot(key));
    seen = log.length - 1;
  }
  const call = Math.max(c.free, point - run.int(run.o.spread));
  if (lost) {
    run.history.push({ client: c.id, call, ret: Infinity, input });
    run.retire(c);
    return;
  }
  const ret = point + run.int(run.o.spread);
  run.history.push({ client: c.id, call, ret, input, output: output! });
  c.free = ret;
  c.seen.set(key, seen);
}

export function generateHistory(seed: number, o: GenerateOptions): Generated {
  const run = new Run(seed, o);
  for (let t = 1; run.history.length < o.ops; t++) {
    const point = t * STEP;
    const free = run.clients.filter((c) => c.free < point);
    if (free.length > 0) runOp(run, run.pick(free), point);
  }
  const initial = Object.fromEntries(run.initialKeys().map((p) => [p, { data: '' }]));
  const sequenceParents = Array.from({ length: o.parents }, (_, i) => `/q${i}`);
  return { history: run.history, options: { initial, sequenceParents } };
}
