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
 * which are not applied yet (kept only once record() is called). Emptied before each request.
 */
export class PrepView {
  /** One map for every request, emptied between them (no map allocated per write). */
  private readonly overlay = new Map<string, NodeView | null>();
  /** Whether changes are kept: only a multi has ops after them that must see them. */
  private recording = false;

  constructor(private readonly tree: DataTree) {}

  get(path: string): NodeView | undefined {
    if (this.overlay.size !== 0) {
      const o = this.overlay.get(path);
      if (o !== undefined) return o ?? undefined;
    }
    const n = this.tree.getNode(path);
    return n && {
      version: n.version, cversion: n.cversion, aversion: n.aversion, owner: n.ephemeralOwner,
      childCount: n.children.size, acl: n.acl, dataLength: n.data?.length ?? 0,
    };
  }

  /** Forgets the changes of the last request: the prep stage keeps one view for all of them. */
  reset(): void {
    this.recording = false;
    if (this.overlay.size !== 0) this.overlay.clear();
  }

  /** Keeps the changes `set` from here until the next reset (a multi's ops see those before them). */
  record(): void {
    this.recording = true;
  }

  set(path: string, view: NodeView | null): void {
    if (this.recording) this.overlay.set(path, view);
  }
}
