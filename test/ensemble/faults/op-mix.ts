import type { RandomSource } from '@paddock/edges';
import type { ZkInput, ZkOutput } from '../../model/linearizability/index.js';
import type { Lib } from './zk-session.js';

/** The znodes a round's clients work on: a few registers and one parent of sequential children. */
export interface RoundKeys {
  readonly registers: readonly string[];
  readonly queue: string;
}

/** What one worker remembers between its ops, to aim versioned writes and child deletes. */
export class OpMemory {
  readonly versions = new Map<string, number>();
  children: string[] = [];

  /** Learns from an op's result. */
  learn(input: ZkInput, out: ZkOutput): void {
    if (out.code !== 'ok') return;
    if (out.version !== undefined) this.versions.set(input.path, out.version);
    if (input.op === 'create') this.versions.set(input.path, 0);
    if (input.op === 'createSequential' && out.path) this.children.push(out.path.slice(out.path.lastIndexOf('/') + 1));
    if (input.op === 'getChildren' && out.children) this.children = out.children.slice(-MAX_KNOWN_CHILDREN);
    if (input.op === 'delete') this.children = this.children.filter((c) => !input.path.endsWith(`/${c}`));
    this.children = this.children.slice(-MAX_KNOWN_CHILDREN);
  }
}

const MAX_KNOWN_CHILDREN = 50;

/** One op to issue; `synced`: a sync first, then the read (ours only). */
export interface PlannedOp {
  readonly input: ZkInput;
  readonly synced: boolean;
}

type Plan = (ctx: { key: string; keys: RoundKeys; data: string; version: number; mem: OpMemory; child?: string }) => PlannedOp;

const op = (input: ZkInput, synced = false): PlannedOp => ({ input, synced });

/**
 * The mix, by weight: writes and reads on the registers (some writes versioned with the last
 * version this worker saw, so BadVersion comes up), sequential creates, children lists and
 * child deletes on the queue, and sync + getData, the read ZooKeeper makes linearizable.
 */
const MIX: readonly (readonly [number, Plan])[] = [
  [12, ({ key, data }) => op({ op: 'create', path: key, data })],
  [20, ({ key, data, version }) => op({ op: 'setData', path: key, data, version })],
  [18, ({ key }) => op({ op: 'getData', path: key })],
  [10, ({ key }) => op({ op: 'getData', path: key }, true)],
  [8, ({ key, version }) => op({ op: 'delete', path: key, version })],
  [5, ({ key }) => op({ op: 'exists', path: key })],
  [12, ({ keys, data }) => op({ op: 'createSequential', path: `${keys.queue}/item-`, data })],
  [9, ({ keys }) => op({ op: 'getChildren', path: keys.queue })],
  [6, ({ keys, child }) => (child === undefined ? op({ op: 'getChildren', path: keys.queue }) : op({ op: 'delete', path: `${keys.queue}/${child}`, version: -1 }))],
];
const TOTAL = MIX.reduce((s, [w]) => s + w, 0);

function pick<T>(rng: RandomSource, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

/** The next op of a worker using `lib`, from its random source; `data` is a value no other write uses. */
export function planOp(rng: RandomSource, lib: Lib, keys: RoundKeys, mem: OpMemory, data: string): PlannedOp {
  let roll = rng() * TOTAL;
  let plan = MIX[0]![1];
  for (const [w, p] of MIX) {
    plan = p;
    if ((roll -= w) < 0) break;
  }
  const key = pick(rng, keys.registers);
  // Most writes take any version; a third aim at the version this worker saw last.
  const version = rng() < 0.3 ? mem.versions.get(key) ?? 0 : -1;
  const child = mem.children.length > 0 ? pick(rng, mem.children) : undefined;
  const planned = plan({ key, keys, data, version, mem, child });
  // node-zookeeper-client has no sync: its synced read is a plain one.
  return lib === 'nzc' && planned.synced ? op(planned.input) : planned;
}
