import type { ZkInput, ZkOutput } from './zk-ops.js';

/**
 * One znode as a register: absent, or present with data and a version that counts setData
 * calls since its create (ZooKeeper's Stat.version). Parents are assumed to exist.
 */
export type RegisterState =
  | { readonly exists: false }
  | { readonly exists: true; readonly data: string; readonly version: number };

export const ABSENT: RegisterState = { exists: false };

type RegisterOp = Extract<ZkInput, { op: 'create' | 'delete' | 'setData' | 'getData' | 'exists' }>;

interface Outcome {
  readonly out: ZkOutput;
  readonly next: RegisterState;
}

/** What ZooKeeper does to one znode, one op at a time (its `PrepRequestProcessor` checks). */
function apply(s: RegisterState, input: RegisterOp): Outcome {
  switch (input.op) {
    case 'create':
      if (s.exists) return { out: { code: 'NodeExists' }, next: s };
      return { out: { code: 'ok' }, next: { exists: true, data: input.data, version: 0 } };
    case 'delete':
      if (!s.exists) return { out: { code: 'NoNode' }, next: s };
      if (input.version !== -1 && input.version !== s.version) return { out: { code: 'BadVersion' }, next: s };
      return { out: { code: 'ok' }, next: ABSENT };
    case 'setData': {
      if (!s.exists) return { out: { code: 'NoNode' }, next: s };
      if (input.version !== -1 && input.version !== s.version) return { out: { code: 'BadVersion' }, next: s };
      const version = s.version + 1;
      return { out: { code: 'ok', version }, next: { exists: true, data: input.data, version } };
    }
    case 'getData':
      return { out: s.exists ? { code: 'ok', data: s.data, version: s.version } : { code: 'NoNode' }, next: s };
    case 'exists':
      return { out: s.exists ? { code: 'ok', version: s.version } : { code: 'NoNode' }, next: s };
  }
}

/** Does what came back agree with what the model says? Fields a harness left out are not compared. */
function agrees(expected: ZkOutput, seen: ZkOutput): boolean {
  if (expected.code !== seen.code) return false;
  if (expected.code !== 'ok' || seen.code !== 'ok') return true;
  return (seen.data === undefined || seen.data === expected.data) && (seen.version === undefined || seen.version === expected.version);
}

/** The register's step: one next state, or none when the output cannot come from `s`. */
export function stepRegister(s: RegisterState, input: RegisterOp, output: ZkOutput | undefined): readonly RegisterState[] {
  const { out, next } = apply(s, input);
  if (output !== undefined && !agrees(out, output)) return [];
  return [next];
}

export function registerKey(s: RegisterState): string {
  return s.exists ? `${s.version}:${s.data}` : '-';
}
