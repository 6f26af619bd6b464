import { type ACL, type Stat, Ids, baseName, parentPath } from '@paddock/coord-protocol';
import { DataNode } from './data-node.js';
import { CONTAINER_OWNER, isSessionOwner, ttlOf } from './ephemeral-type.js';

/** ACL lists are shared between nodes, as ZooKeeper's ReferenceCountedACLCache does. */
class AclCache {
  private readonly lists = new Map<string, readonly ACL[]>();

  intern(acl: readonly ACL[]): readonly ACL[] {
    const key = acl.map((a) => `${a.perms}|${a.id.scheme}|${a.id.id}`).join('\n');
    let hit = this.lists.get(key);
    if (!hit) {
      hit = Object.freeze(acl.map((a) => ({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } })));
      this.lists.set(key, hit);
    }
    return hit;
  }
}

/**
 * The in-memory znode tree (ZooKeeper's DataTree). It only applies changes that the prep
 * stage already validated; a violated precondition here is a bug, so it throws.
 */
export class DataTree {
  private readonly nodes = new Map<string, DataNode>();
  private readonly ephemerals = new Map<bigint, Set<string>>();
  /** Paths of containers and TTL nodes, scanned by the container manager. */
  readonly containers = new Set<string>();
  readonly ttls = new Set<string>();
  private readonly acls = new AclCache();
  lastProcessedZxid = 0;

  constructor() {
    const open = this.acls.intern(Ids.OPEN_ACL_UNSAFE);
    const root = new DataNode(null, open, 0, 0, 0, 0, 0, 0, 0, 0n, 0);
    this.nodes.set('/', root);
    // The /zookeeper subtree exists as in ZooKeeper: /zookeeper, /zookeeper/quota, /zookeeper/config.
    this.addSystemNode('/zookeeper', open);
    this.addSystemNode('/zookeeper/quota', open);
    this.addSystemNode('/zookeeper/config', this.acls.intern(Ids.READ_ACL_UNSAFE));
  }

  private addSystemNode(path: string, acl: readonly ACL[]): void {
    const node = new DataNode(null, acl, 0, 0, 0, 0, 0, 0, 0, 0n, 0);
    this.nodes.set(path, node);
    this.nodes.get(parentPath(path))!.children.add(baseName(path));
  }

  get size(): number {
    return this.nodes.size;
  }

  getNode(path: string): DataNode | undefined {
    return this.nodes.get(path);
  }

  statOf(path: string): Stat | undefined {
    return this.nodes.get(path)?.stat();
  }

  createNode(
    path: string, data: Buffer | null, acl: readonly ACL[], owner: bigint,
    parentCVersion: number, zxid: number, time: number,
  ): DataNode {
    const parent = this.nodes.get(parentPath(path));
    if (!parent) throw new Error(`createNode ${path}: no parent`);
    if (this.nodes.has(path)) throw new Error(`createNode ${path}: exists`);
    const node = new DataNode(data, this.acls.intern(acl), zxid, zxid, time, time, 0, 0, 0, owner, zxid);
    parent.cversion = parentCVersion;
    parent.pzxid = zxid;
    this.link(path, node, parent);
    return node;
  }

  /** Adds a node under its parent and to the indexes of ephemerals, containers and TTLs. */
  private link(path: string, node: DataNode, parent: DataNode): void {
    parent.children.add(baseName(path));
    this.nodes.set(path, node);
    const owner = node.ephemeralOwner;
    if (owner === CONTAINER_OWNER) this.containers.add(path);
    else if (ttlOf(owner) !== undefined) this.ttls.add(path);
    else if (isSessionOwner(owner)) {
      let set = this.ephemerals.get(owner);
      if (!set) this.ephemerals.set(owner, (set = new Set()));
      set.add(path);
    }
  }

  deleteNode(path: string, zxid: number): DataNode {
    const node = this.nodes.get(path);
    const parent = this.nodes.get(parentPath(path));
    if (!node || !parent) throw new Error(`deleteNode ${path}: no node`);
    this.nodes.delete(path);
    parent.children.delete(baseName(path));
    // A later create may already have moved pzxid past this zxid during replay.
    if (zxid > parent.pzxid) parent.pzxid = zxid;
    const owner = node.ephemeralOwner;
    if (owner === CONTAINER_OWNER) this.containers.delete(path);
    else if (ttlOf(owner) !== undefined) this.ttls.delete(path);
    else if (isSessionOwner(owner)) {
      const set = this.ephemerals.get(owner);
      set?.delete(path);
      if (set?.size === 0) this.ephemerals.delete(owner);
    }
    return node;
  }

  setData(path: string, data: Buffer | null, version: number, zxid: number, time: number): DataNode {
    const node = this.nodes.get(path);
    if (!node) throw new Error(`setData ${path}: no node`);
    node.data = data;
    node.version = version;
    node.mzxid = zxid;
    node.mtime = time;
    return node;
  }

  setACL(path: string, acl: readonly ACL[], aversion: number): DataNode {
    const node = this.nodes.get(path);
    if (!node) throw new Error(`setACL ${path}: no node`);
    node.acl = this.acls.intern(acl);
    node.aversion = aversion;
    return node;
  }

  /** Ephemeral paths of a session, in creation order. */
  ephemeralsOf(sessionId: bigint): readonly string[] {
    return [...(this.ephemerals.get(sessionId) ?? [])];
  }

  /** Every session that owns ephemerals, with its paths (for dump and getEphemerals). */
  allEphemerals(): ReadonlyMap<bigint, ReadonlySet<string>> {
    return this.ephemerals;
  }

  /** Number of descendants of a node, not counting the node itself. */
  countDescendants(path: string): number {
    const node = this.nodes.get(path);
    if (!node) return 0;
    let total = 0;
    const stack: string[] = [path];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const n = this.nodes.get(p)!;
      for (const child of n.children) {
        total++;
        stack.push(p === '/' ? `/${child}` : `${p}/${child}`);
      }
    }
    return total;
  }

  paths(): IterableIterator<string> {
    return this.nodes.keys();
  }

  /** Every node in creation order: a parent always comes before its children. */
  entries(): IterableIterator<[string, DataNode]> {
    return this.nodes.entries();
  }

  /**
   * Puts back a node read from a snapshot. A fuzzy snapshot may hold a node whose parent was
   * deleted while it was written; such an orphan is skipped, and log replay settles the rest.
   */
  restoreNode(path: string, fields: Omit<DataNode, 'children' | 'stat'>): boolean {
    const existing = this.nodes.get(path);
    if (existing) {
      Object.assign(existing, fields, { acl: this.acls.intern(fields.acl) });
      return true;
    }
    const parent = this.nodes.get(parentPath(path));
    if (!parent) return false;
    const f = fields;
    const node = new DataNode(
      f.data, this.acls.intern(f.acl), f.czxid, f.mzxid, f.ctime, f.mtime, f.version, f.cversion, f.aversion,
      f.ephemeralOwner, f.pzxid,
    );
    this.link(path, node, parent);
    return true;
  }
}
