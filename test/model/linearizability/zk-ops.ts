/**
 * The ZooKeeper client ops the checker models, as a harness records them. Paths are
 * absolute znode paths; data is a string (a harness turns bytes into text it can compare).
 */
export type ZkInput =
  | { readonly op: 'create'; readonly path: string; readonly data: string }
  /** `version` -1 deletes whatever the version; otherwise a mismatch is BadVersion. */
  | { readonly op: 'delete'; readonly path: string; readonly version: number }
  | { readonly op: 'setData'; readonly path: string; readonly data: string; readonly version: number }
  | { readonly op: 'getData'; readonly path: string }
  /** A null stat from exists is recorded as `{ code: 'NoNode' }`. */
  | { readonly op: 'exists'; readonly path: string }
  /** `create -s`: `path` is the prefix, e.g. `/q/item-`; the server appends a 10-digit counter. */
  | { readonly op: 'createSequential'; readonly path: string; readonly data?: string }
  | { readonly op: 'getChildren'; readonly path: string };

export type ZkOpName = ZkInput['op'];

/** ZooKeeper's error names (KeeperException.Code) for the outcomes the model knows. */
export type ZkErrorName = 'NoNode' | 'NodeExists' | 'BadVersion';

/**
 * What came back. `ok` carries what that op returns: setData the new version (optional: a
 * harness that drops the Stat leaves it out), getData the data and version, exists the
 * version, createSequential the created path, getChildren the child names (any order).
 */
export type ZkOutput =
  | {
      readonly code: 'ok';
      readonly data?: string;
      readonly version?: number;
      readonly path?: string;
      readonly children?: readonly string[];
    }
  | { readonly code: ZkErrorName };

/** The fields each op's input and `ok` output must carry, and whether it only reads. */
interface OpShape {
  readonly read: boolean;
  readonly input: readonly ('data' | 'version')[];
  readonly ok: readonly ('data' | 'version' | 'path' | 'children')[];
  /** The error outcomes the model knows for it. */
  readonly errors: readonly ZkErrorName[];
}

export const ZK_OPS: Readonly<Record<ZkOpName, OpShape>> = {
  create: { read: false, input: ['data'], ok: [], errors: ['NodeExists'] },
  delete: { read: false, input: ['version'], ok: [], errors: ['NoNode', 'BadVersion'] },
  setData: { read: false, input: ['data', 'version'], ok: [], errors: ['NoNode', 'BadVersion'] },
  getData: { read: true, input: [], ok: ['data', 'version'], errors: ['NoNode'] },
  exists: { read: true, input: [], ok: ['version'], errors: ['NoNode'] },
  createSequential: { read: false, input: [], ok: ['path'], errors: [] },
  getChildren: { read: true, input: [], ok: ['children'], errors: [] },
};

/** A long children list is cut in the middle: a counterexample line stays readable. */
const NAMES_SHOWN = 12;

function showNames(names: readonly string[]): string {
  const sorted = [...names].sort();
  if (sorted.length <= NAMES_SHOWN) return `[${sorted.join(', ')}]`;
  const half = NAMES_SHOWN / 2;
  return `[${sorted.length} names: ${sorted.slice(0, half).join(', ')}, ..., ${sorted.slice(-half).join(', ')}]`;
}

function show(out: ZkOutput | undefined): string {
  if (out === undefined) return '?';
  if (out.code !== 'ok') return out.code;
  const parts = ['ok'];
  if (out.path !== undefined) parts.push(out.path);
  if (out.data !== undefined) parts.push(JSON.stringify(out.data));
  if (out.version !== undefined) parts.push(`v=${out.version}`);
  if (out.children !== undefined) parts.push(showNames(out.children));
  return parts.join(' ');
}

/** `setData /a "x" v=-1 → ok v=3`; `?` for an op that got no reply. */
export function describeZkOp(input: ZkInput, output: ZkOutput | undefined): string {
  const args: string[] = [input.op, input.path];
  if ('data' in input && input.data !== undefined) args.push(JSON.stringify(input.data));
  if ('version' in input) args.push(`v=${input.version}`);
  return `${args.join(' ')} → ${show(output)}`;
}
