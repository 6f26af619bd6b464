import type { ACL } from '@paddock/coord-protocol';
import type { DataTree } from '../tree/data-tree.js';

/** What prep needs to know of a node (ZooKeeper's ChangeRecord). */
export interface NodeView {
  version: number;
  cversion: number;
  aversion: number;
  owner: bigint;
  childCount: number;
  acl: readonly ACL[];
  /** Bytes of data, which a quota check of a setData needs (ZooKeeper's ChangeRecord.data). */
  dataLength: number;
}

/**
 * The tree as prep sees it: the DataTree plus the changes of earlier ops in the same multi,
 * which are not applied yet. For a single op the overlay stays empty.
 */
export class PrepView {
  private overlay: Map<string, NodeView | null> | null = null;

  constructor(private readonly tree: DataTree) {}

  get(path: string): NodeView | undefined {
    const o = this.overlay?.get(path);
    if (o !== undefined) return o ?? undefined;
    const n = this.tree.getNode(path);
    return n && {
      version: n.version, cversion: n.cversion, aversion: n.aversion, owner: n.ephemeralOwner,
      childCount: n.children.size, acl: n.acl, dataLength: n.data?.length ?? 0,
    };
  }

  /** Forgets the changes of the last request: the prep stage keeps one view for all of them. */
  reset(): void {
    this.overlay = null;
  }

  set(path: string, view: NodeView | null): void {
    (this.overlay ??= new Map()).set(path, view);
  }
}
