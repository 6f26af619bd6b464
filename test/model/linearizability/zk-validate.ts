import { parentPath, pathError } from '@paddock/coord-protocol';
import { OptionError } from '@paddock/edges';
import { ZK_OPS, type ZkInput, type ZkOpName, type ZkOutput } from './zk-ops.js';

const isVersion = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;

function checkInput(input: ZkInput, where: string): void {
  if (typeof input !== 'object' || input === null || !Object.hasOwn(ZK_OPS, input.op)) {
    throw new OptionError(`${where}.input.op`, (input as { op?: unknown } | null)?.op, `must be one of ${Object.keys(ZK_OPS).join(', ')}`);
  }
  // ZooKeeper checks a sequential path with a digit appended (a prefix may end in '/').
  const path = input.op === 'createSequential' ? `${String(input.path)}0` : input.path;
  if (typeof input.path !== 'string' || pathError(path) !== null) {
    throw new OptionError(`${where}.input.path`, input.path, `must be a valid znode path (${typeof input.path === 'string' ? pathError(path) : 'not a string'})`);
  }
  const fields = input as { data?: unknown; version?: unknown };
  if (ZK_OPS[input.op].input.includes('data') && typeof fields.data !== 'string') {
    throw new OptionError(`${where}.input.data`, fields.data, 'must be a string');
  }
  if (input.op === 'createSequential' && fields.data !== undefined && typeof fields.data !== 'string') {
    throw new OptionError(`${where}.input.data`, fields.data, 'must be a string when given');
  }
  if (ZK_OPS[input.op].input.includes('version') && !isVersion(fields.version, -1)) {
    throw new OptionError(`${where}.input.version`, fields.version, 'must be an integer >= -1 (-1: any version)');
  }
}

/** Routing rules: which ops the model can place on which paths. */
function checkPlace(parents: ReadonlySet<string>, input: ZkInput, where: string): void {
  const under = parents.has(parentPath(input.path));
  const at = `${where}.input.path`;
  if (input.op === 'getChildren' && !parents.has(input.path)) {
    throw new OptionError(at, input.path, 'must be one of sequenceParents for getChildren');
  }
  if (input.op === 'createSequential' && !under) {
    throw new OptionError(at, input.path, 'must be under one of sequenceParents for createSequential');
  }
  if (input.op !== 'getChildren' && input.op !== 'createSequential' && parents.has(input.path)) {
    throw new OptionError(at, input.path, `is a sequence parent: ${input.op} on it is not modelled`);
  }
  if (under && input.op !== 'delete' && input.op !== 'createSequential') {
    throw new OptionError(at, input.path, `is under a sequence parent: only createSequential and delete are modelled there, not ${input.op}`);
  }
  if (under && input.op === 'delete' && input.version !== -1) {
    throw new OptionError(`${where}.input.version`, input.version, 'must be -1 for a child of a sequence parent (versions there are not modelled)');
  }
}

const OK_FIELDS: Readonly<Record<'data' | 'version' | 'path' | 'children', (v: unknown) => boolean>> = {
  data: (v) => typeof v === 'string',
  version: (v) => isVersion(v, 0),
  path: (v) => typeof v === 'string',
  children: (v) => Array.isArray(v) && v.every((c) => typeof c === 'string'),
};

function checkOutput(op: ZkOpName, output: ZkOutput, where: string): void {
  const codes = ['ok', ...ZK_OPS[op].errors];
  if (typeof output !== 'object' || output === null || !codes.includes(output.code)) {
    throw new OptionError(`${where}.output.code`, (output as { code?: unknown } | null)?.code,
      `must be one of ${codes.join(', ')} for ${op} (an op whose outcome is unknown, e.g. ConnectionLoss, has ret Infinity and no output)`);
  }
  if (output.code !== 'ok') return;
  for (const [field, good] of Object.entries(OK_FIELDS)) {
    const value = (output as Record<string, unknown>)[field];
    const required = (ZK_OPS[op].ok as readonly string[]).includes(field);
    if ((required || value !== undefined) && !good(value)) {
      throw new OptionError(`${where}.output.${field}`, value, required ? `must be given for ${op}` : 'is malformed');
    }
  }
}

/** Throws an OptionError naming the field when a recorded ZooKeeper op is malformed or unmodelled. */
export function checkZkOp(parents: ReadonlySet<string>, input: ZkInput, output: ZkOutput | undefined, where: string): void {
  checkInput(input, where);
  checkPlace(parents, input, where);
  if (output !== undefined) checkOutput(input.op, output, where);
}
