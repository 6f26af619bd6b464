import { baseName, joinPath, parentPath, sequenceSuffix } from '@paddock/coord-protocol';
import type { ZkInput, ZkOutput } from './index.js';

/**
 * A plain sequential ZooKeeper tree, written apart from the checker's model so the random
 * tests compare two codings of the semantics: the sequential suffix is the parent's real
 * cversion, bumped by every child create and delete (and by `bump`, a change nobody recorded).
 */
interface RefNode {
  data: string;
  version: number;
  cversion: number;
  readonly children: Set<string>;
}

/** What a read can see of one key: a znode (or its absence), or the names of a parent's children. */
export type Snapshot = { readonly data: string; readonly version: number } | null | readonly string[];

export class ReferenceZk {
  private readonly nodes = new Map<string, RefNode>([['/', { data: '', version: 0, cversion: 0, children: new Set() }]]);

  constructor(paths: readonly string[]) {
    for (const p of paths) this.apply({ op: 'create', path: p, data: '' });
  }

  node(path: string): RefNode | undefined {
    return this.nodes.get(path);
  }

  /** A change under `parent` that no history op records (an ephemeral of an expired session). */
  bump(parent: string): void {
    this.nodes.get(parent)!.cversion++;
  }

  private add(path: string, data: string): void {
    const parent = this.nodes.get(parentPath(path))!;
    parent.children.add(baseName(path));
    parent.cversion++;
    this.nodes.set(path, { data, version: 0, cversion: 0, children: new Set() });
  }

  /** Runs one op now and returns what ZooKeeper would answer. Parents always exist here. */
  apply(input: ZkInput): ZkOutput {
    const node = this.nodes.get(input.path);
    switch (input.op) {
      case 'create':
        if (node !== undefined) return { code: 'NodeExists' };
        this.add(input.path, input.data);
        return { code: 'ok' };
      case 'createSequential': {
        const parent = parentPath(`${input.path}0`);
        const path = joinPath(parent, baseName(input.path) + sequenceSuffix(this.nodes.get(parent)!.cversion));
        this.add(path, input.data ?? '');
        return { code: 'ok', path };
      }
      case 'delete': {
        if (node === undefined) return { code: 'NoNode' };
        if (input.version !== -1 && input.version !== node.version) return { code: 'BadVersion' };
        this.nodes.delete(input.path);
        const parent = this.nodes.get(parentPath(input.path))!;
        parent.children.delete(baseName(input.path));
        parent.cversion++;
        return { code: 'ok' };
      }
      case 'setData':
        if (node === undefined) return { code: 'NoNode' };
        if (input.version !== -1 && input.version !== node.version) return { code: 'BadVersion' };
        node.data = input.data;
        node.version++;
        return { code: 'ok', version: node.version };
      default:
        return answer(input, this.snapshot(input));
    }
  }

  /** What a read of `input`'s key sees now. */
  snapshot(input: ZkInput): Snapshot {
    const node = this.nodes.get(input.path);
    if (input.op === 'getChildren') return [...node!.children].sort();
    return node === undefined ? null : { data: node.data, version: node.version };
  }
}

/** A read's answer from a snapshot (possibly an old one: a follower's stale copy). */
export function answer(input: ZkInput, snap: Snapshot): ZkOutput {
  if (Array.isArray(snap)) return { code: 'ok', children: snap };
  const node = snap as Exclude<Snapshot, readonly string[]>;
  if (node === null) return { code: 'NoNode' };
  return input.op === 'exists' ? { code: 'ok', version: node.version } : { code: 'ok', data: node.data, version: node.version };
}
