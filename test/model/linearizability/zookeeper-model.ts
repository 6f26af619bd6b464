import { baseName, parentPath, pathError } from '@paddock/coord-protocol';
import { OptionError } from '@paddock/edges';
import type { Model } from './model.js';
import { ABSENT, registerKey, stepRegister, type RegisterState } from './register-model.js';
import { counterOf, sequenceInit, sequenceKey, stepCreate, stepDelete, stepGetChildren, type SequenceState } from './sequence-model.js';
import { checkZkOp } from './zk-validate.js';
import { describeZkOp, ZK_OPS, type ZkInput, type ZkOutput } from './zk-ops.js';

export interface ZkModelOptions {
  /**
   * Parents whose children are made by createSequential and listed by getChildren: the
   * sequence model checks those (with deletes of their children). Every other path is a
   * register of its own; register ops on a sequence parent itself are not modelled.
   */
  readonly sequenceParents?: readonly string[];
  /** Znodes that exist when the history starts (version 0 unless given); none by default. */
  readonly initial?: Readonly<Record<string, { readonly data: string; readonly version?: number }>>;
}

export type ZkState = RegisterState | SequenceState;

const REGISTER = 'znode ';
const CHILDREN = 'children of ';

function initialRegister(options: ZkModelOptions, path: string): RegisterState {
  const node = options.initial?.[path];
  return node === undefined ? ABSENT : { exists: true, data: node.data, version: node.version ?? 0 };
}

function initialChildren(options: ZkModelOptions, parent: string): SequenceState {
  const children = Object.keys(options.initial ?? {}).filter((p) => parentPath(p) === parent && p !== parent).map(baseName);
  // Counters go on after the highest one among the children already there.
  const last = Math.max(-1, ...children.map((c) => counterOf(c, c.slice(0, -10)) ?? -1));
  return sequenceInit(children, last);
}

function checkOptions(options: ZkModelOptions): Set<string> {
  const parents = options.sequenceParents ?? [];
  if (!Array.isArray(parents)) throw new OptionError('sequenceParents', parents, 'must be an array of paths');
  parents.forEach((p, i) => {
    if (typeof p !== 'string' || pathError(p) !== null) throw new OptionError(`sequenceParents[${i}]`, p, 'must be a valid znode path');
  });
  for (const [path, node] of Object.entries(options.initial ?? {})) {
    if (pathError(path) !== null) throw new OptionError('initial', path, 'must have valid znode paths as keys');
    if (typeof node?.data !== 'string') throw new OptionError(`initial[${JSON.stringify(path)}].data`, node?.data, 'must be a string');
    if (node.version !== undefined && (!Number.isInteger(node.version) || node.version < 0)) {
      throw new OptionError(`initial[${JSON.stringify(path)}].version`, node.version, 'must be an integer >= 0');
    }
  }
  return new Set(parents);
}

/** Which partition an op is in: its znode, or the children of a sequence parent. */
function route(parents: ReadonlySet<string>, input: ZkInput): string {
  if (input.op === 'getChildren') return CHILDREN + input.path;
  const parent = parentPath(input.path);
  if (input.op === 'createSequential' || (input.op === 'delete' && parents.has(parent))) return CHILDREN + parent;
  return REGISTER + input.path;
}

function stepChildren(s: SequenceState, input: ZkInput, output: ZkOutput | undefined): readonly SequenceState[] {
  if (output !== undefined && output.code !== 'ok' && !(input.op === 'delete' && output.code === 'NoNode')) return [];
  switch (input.op) {
    case 'createSequential': {
      const path = output?.code === 'ok' ? output.path : undefined;
      if (path !== undefined && parentPath(path) !== parentPath(input.path)) return [];
      return stepCreate(s, baseName(input.path), path === undefined ? undefined : baseName(path));
    }
    case 'getChildren':
      return output?.code === 'ok' ? stepGetChildren(s, output.children ?? []) : [s];
    default:
      return stepDelete(s, baseName(input.path), output === undefined ? undefined : output.code === 'ok');
  }
}

/**
 * ZooKeeper as a set of independent objects: a register per znode path (create, delete,
 * setData with or without an expected version, getData, exists) and, under each sequence
 * parent, the sequential children (createSequential, getChildren, delete of a child).
 */
export function zookeeperModel(options: ZkModelOptions = {}): Model<ZkState, ZkInput, ZkOutput> {
  const parents = checkOptions(options);
  return {
    name: 'zookeeper',
    partition: (input) => route(parents, input),
    init: (key) => (key.startsWith(CHILDREN) ? initialChildren(options, key.slice(CHILDREN.length)) : initialRegister(options, key.slice(REGISTER.length))),
    step(state, input, output) {
      if ('issued' in state) return stepChildren(state, input, output);
      if (input.op === 'createSequential' || input.op === 'getChildren') return [];
      return stepRegister(state, input, output);
    },
    key: (state) => ('issued' in state ? sequenceKey(state) : registerKey(state)),
    isRead: (input) => ZK_OPS[input.op].read,
    validate: (input, output, where) => checkZkOp(parents, input, output, where),
    describe: describeZkOp,
  };
}
