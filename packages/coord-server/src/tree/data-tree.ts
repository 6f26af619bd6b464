import { type ACL, type Stat, type StatsTrack, Ids, baseName, parentPath } from '@paddock/coord-protocol';
import { DataNode, type DataNodeFields } from './data-node.js';
import { CONTAINER_OWNER, isSessionOwner, ttlOf } from './ephemeral-type.js';
import { LIMIT_NODE, QUOTA_ROOT, QuotaPaths, STAT_NODE, readStats, trimQuotaPath } from './quotas.js';

/** ACL lists are shared between nodes, as ZooKeeper's ReferenceCountedACLCache does. */
class AclCache {
  private readonly lists = new Map<string, readonly ACL[]>();
  /** The list interned last: nodes mostly come with the same ACL as the one before, compared without a key. */
  private last: readonly ACL[] | null = null;

  intern(acl: readonly ACL[]): readonly ACL[] {
    if (this.last !== null && sameAcl(this.last, acl)) return this.last;
    this.last = this.lookup(acl);
    return this.last;
  }

  private lookup(acl: readonly ACL[]): readonly ACL[] {
    const key = acl.map((a) => `${a.perms}|${a.id.scheme}|${a.id.id}`).join('\n');
    let hit = this.lists.get(key);
    if (!hit) {
      hit = Object.freeze(acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ scheme: a.id.scheme, id: a.id.id }) })));
      this.lists.set(key, hit);
    }
    return hit;
  }
}

function sameAcl(a: readonly ACL[], b: readonly ACL[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.perms !== y.perms || x.id.scheme !== y.id.scheme || x.id.id !== y.id.id) return false;
  }
  return true;
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
  private readonly quotas = new QuotaPaths();
  lastProcessedZxid = 0;
  /** ZooKeeper's approximate data size (path characters plus data bytes), kept as nodes change. */
  approximateDataSize = 0;
  /** Ephemeral nodes of all sessions. */
  ephemeralCount = 0;

  constructor() {
    const open = this.acls.intern(Ids.OPEN_ACL_UNSAFE);
    // ZooKeeper's root and system nodes hold empty data, not null.
    const root = new DataNode(Buffer.alloc(0), open, 0, 0, 0, 0, 0, 0, 0, 0n, 0);
    this.nodes.set('/', root);
    this.approximateDataSize = 1;
    // The /zookeeper subtree exists as in ZooKeeper: /zookeeper, /zookeeper/quota, /zookeeper/config.
    this.addSystemNode('/zookeeper', open);
    this.addSystemNode('/zookeeper/quota', open);
    // ZooKeeper creates /zookeeper/config with aclVersion -1.
    this.addSystemNode('/zookeeper/config', this.acls.intern(Ids.READ_ACL_UNSAFE), -1);
  }

  private addSystemNode(path: string, acl: readonly ACL[], aversion = 0): void {
    const node = new DataNode(Buffer.alloc(0), acl, 0, 0, 0, 0, 0, 0, aversion, 0n, 0);
    this.nodes.set(path, node);
    this.approximateDataSize += path.length;
    this.nodes.get(parentPath(path))!.addChild(baseName(path));
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
    this.quotaOnCreate(path, data);
    return node;
  }

  /** Adds a node under its parent and to the indexes of ephemerals, containers and TTLs. */
  private link(path: string, node: DataNode, parent: DataNode): void {
    parent.addChild(baseName(path));
    this.nodes.set(path, node);
    this.approximateDataSize += path.length + (node.data?.length ?? 0);
    const owner = node.ephemeralOwner;
    if (owner === CONTAINER_OWNER) this.containers.add(path);
    else if (ttlOf(owner) !== undefined) this.ttls.add(path);
    else if (isSessionOwner(owner)) {
      let set = this.ephemerals.get(owner);
      if (!set) this.ephemerals.set(owner, (set = new Set()));
      set.add(path);
      this.ephemeralCount++;
    }
  }

  deleteNode(path: string, zxid: number): DataNode {
    const node = this.nodes.get(path);
    const parent = this.nodes.get(parentPath(path));
    if (!node || !parent) throw new Error(`deleteNode ${path}: no node`);
    const parentName = parentPath(path);
    if (parentName.startsWith(QUOTA_ROOT) && baseName(path) === LIMIT_NODE) this.quotas.delete(trimQuotaPath(parentName));
    this.quotaUpdate(path, -(node.data?.length ?? 0), -1);
    this.nodes.delete(path);
    parent.deleteChild(baseName(path));
    this.approximateDataSize -= path.length + (node.data?.length ?? 0);
    // A later create may already have moved pzxid past this zxid during replay.
    if (zxid > parent.pzxid) parent.pzxid = zxid;
    const owner = node.ephemeralOwner;
    if (owner === CONTAINER_OWNER) this.containers.delete(path);
    else if (ttlOf(owner) !== undefined) this.ttls.delete(path);
    else if (isSessionOwner(owner)) {
      const set = this.ephemerals.get(owner);
      if (set?.delete(path)) this.ephemeralCount--;
      if (set?.size === 0) this.ephemerals.delete(owner);
    }
    return node;
  }

  setData(path: string, data: Buffer | null, version: number, zxid: number, time: number): DataNode {
    const node = this.nodes.get(path);
    if (!node) throw new Error(`setData ${path}: no node`);
    const grown = (data?.length ?? 0) - (node.data?.length ?? 0);
    this.quotaUpdate(path, grown, 0);
    this.approximateDataSize += grown;
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

  private quotaOnCreate(path: string, data: Buffer | null): void {
    const parentName = parentPath(path);
    if (parentName.startsWith(QUOTA_ROOT)) {
      const child = baseName(path);
      if (child === LIMIT_NODE) this.quotas.add(trimQuotaPath(parentName));
      if (child === STAT_NODE) this.recountQuota(trimQuotaPath(parentName));
    }
    this.quotaUpdate(path, data?.length ?? 0, 1);
  }

  /** Adds to the stats of the deepest quota above `path` (no txn: ZooKeeper edits it in place). */
  private quotaUpdate(path: string, bytes: number, count: number): void {
    const prefix = this.quotas.maxPrefix(path);
    const stat = prefix && this.nodes.get(`${QUOTA_ROOT}${prefix}/${STAT_NODE}`);
    if (!stat) return;
    const s = readStats(stat.data);
    if (!s) return;
    s.set('count', s.get('count') + count).set('bytes', s.get('bytes') + bytes);
    stat.data = Buffer.from(s.toString());
  }

  /**
   * The deepest quota at or above `path` with its limits and current stats, as ZooKeeper's
   * checkQuota reads them from the committed tree; null when there is none or a node is missing.
   */
  quotaOf(path: string): { prefix: string; limits: StatsTrack; stats: StatsTrack } | null {
    const prefix = this.quotas.maxPrefix(path);
    if (!prefix) return null;
    const limits = readStats(this.nodes.get(`${QUOTA_ROOT}${prefix}/${LIMIT_NODE}`)?.data ?? null);
    const stats = readStats(this.nodes.get(`${QUOTA_ROOT}${prefix}/${STAT_NODE}`)?.data ?? null);
    return limits && stats ? { prefix, limits, stats } : null;
  }

  /** Sets a quota's stats node from a full count of its subtree (the node itself included). */
  private recountQuota(path: string): void {
    const stat = this.nodes.get(`${QUOTA_ROOT}${path}/${STAT_NODE}`);
    if (!stat || !this.nodes.has(path)) return;
    let count = 0;
    let bytes = 0;
    const stack = [path];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const n = this.nodes.get(p)!;
      count++;
      bytes += n.data?.length ?? 0;
      for (const c of n.children) stack.push(p === '/' ? `/${c}` : `${p}/${c}`);
    }
    const s = readStats(stat.data);
    if (!s) return;
    stat.data = Buffer.from(s.set('count', count).set('bytes', bytes).toString());
  }

  /** After loading a snapshot: find the quota'd paths again and recount them (ZooKeeper's setupQuota). */
  setupQuotas(): void {
    for (const path of this.nodes.keys()) {
      if (path.startsWith(`${QUOTA_ROOT}/`) && baseName(path) === LIMIT_NODE) {
        const quotaPath = trimQuotaPath(parentPath(path));
        this.quotas.add(quotaPath);
        this.recountQuota(quotaPath);
      }
    }
  }

  /** Every node in creation order: a parent always comes before its children. */
  entries(): IterableIterator<[string, DataNode]> {
    return this.nodes.entries();
  }

  /**
   * Puts back a node read from a snapshot. A fuzzy snapshot may hold a node whose parent was
   * deleted while it was written; such an orphan is skipped, and log replay settles the rest.
   */
  restoreNode(path: string, fields: DataNodeFields): boolean {
    const existing = this.nodes.get(path);
    if (existing) {
      this.approximateDataSize += (fields.data?.length ?? 0) - (existing.data?.length ?? 0);
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
