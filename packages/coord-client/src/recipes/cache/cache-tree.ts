import { baseName, joinPath, parentPath, type Stat } from '@paddock/coord-protocol';
import type { CacheChange, ChildData } from './cache-types.js';
import { RecipeError } from '../common/errors.js';

/**
 * The nodes a cache holds under its root, with an index of each node's cached children so a
 * subtree goes without scanning everything. Every mutation returns the changes to report.
 */
export class CacheTree {
  private readonly nodes = new Map<string, ChildData>();
  private readonly kids = new Map<string, Set<string>>();

  constructor(readonly root: string, private readonly maxNodes: number) {}

  get size(): number {
    return this.nodes.size;
  }

  get(path: string): ChildData | undefined {
    return this.nodes.get(path);
  }

  /** Names of the cached children, sorted. */
  childrenOf(path: string): string[] {
    return [...(this.kids.get(path) ?? [])].map(baseName).sort();
  }

  paths(): IterableIterator<string> {
    return this.nodes.keys();
  }

  /** 0 for the root, 1 for its children...; -1 for paths outside the root. */
  depthOf(path: string): number {
    if (path === this.root) return 0;
    const prefix = this.root === '/' ? '/' : `${this.root}/`;
    if (!path.startsWith(prefix)) return -1;
    let depth = 1;
    for (let i = prefix.length; i < path.length; i++) if (path.charCodeAt(i) === 0x2f) depth++;
    return depth;
  }

  /** Stores a read; `added`, `updated` (new mzxid) or nothing. A re-created node replaces the old subtree. */
  upsert(path: string, data: Buffer, stat: Stat): CacheChange[] {
    const old = this.nodes.get(path);
    const changes: CacheChange[] = [];
    if (old !== undefined && old.stat.czxid !== stat.czxid) changes.push(...this.remove(path));
    const prev = this.nodes.get(path);
    if (prev === undefined && this.nodes.size >= this.maxNodes) {
      throw new RecipeError('TooManyNodes', this.root, `more than ${this.maxNodes} nodes under ${this.root}`);
    }
    const node: ChildData = { path, data, stat };
    this.nodes.set(path, node);
    if (path !== this.root) this.link(path);
    if (prev === undefined) changes.push({ type: 'added', node });
    else if (prev.stat.mzxid !== stat.mzxid) changes.push({ type: 'updated', node });
    return changes;
  }

  /** Drops the node and everything cached below it, deepest first. */
  remove(path: string): CacheChange[] {
    const changes: CacheChange[] = [];
    for (const child of [...(this.kids.get(path) ?? [])]) changes.push(...this.remove(child));
    this.kids.delete(path);
    const node = this.nodes.get(path);
    if (node !== undefined) {
      this.nodes.delete(path);
      changes.push({ type: 'removed', node });
    }
    if (path !== this.root) this.kids.get(parentPath(path))?.delete(path);
    return changes;
  }

  /** Replaces the content by a complete fresh read: removals (deepest first), then the rest by depth. */
  replace(fresh: ReadonlyMap<string, { data: Buffer; stat: Stat }>): CacheChange[] {
    const changes: CacheChange[] = [];
    const gone = [...this.nodes.keys()].filter((p) => !fresh.has(p)).sort((a, b) => this.depthOf(b) - this.depthOf(a));
    for (const p of gone) changes.push(...this.remove(p));
    const present = [...fresh.keys()].sort((a, b) => this.depthOf(a) - this.depthOf(b));
    for (const p of present) {
      const n = fresh.get(p)!;
      changes.push(...this.upsert(p, n.data, n.stat));
    }
    return changes;
  }

  private link(path: string): void {
    const parent = parentPath(path);
    let set = this.kids.get(parent);
    if (!set) this.kids.set(parent, (set = new Set()));
    set.add(joinPath(parent, baseName(path)));
  }
}
