import type { ACL, Stat } from '@paddock/coord-protocol';
import { isSessionOwner } from './ephemeral-type.js';

/** What a leaf lists: one shared empty set, so the many leaves of a big tree hold no Set each. */
const NO_CHILDREN: ReadonlySet<string> = new Set<string>();

/**
 * One znode. Stat fields live directly on the node (no nested object) to keep the per-znode
 * footprint small; `numChildren` and `dataLength` are derived when a Stat is copied out.
 */
export class DataNode {
  /** Child names; null while there are none (most znodes are leaves). */
  private kids: Set<string> | null = null;

  constructor(
    public data: Buffer | null,
    public acl: readonly ACL[],
    public czxid: number,
    public mzxid: number,
    public ctime: number,
    public mtime: number,
    public version: number,
    public cversion: number,
    public aversion: number,
    /** Session id for ephemerals, 0 otherwise (containers and TTL nodes are tracked apart). */
    public ephemeralOwner: bigint,
    public pzxid: number,
  ) {}

  get children(): ReadonlySet<string> {
    return this.kids ?? NO_CHILDREN;
  }

  addChild(name: string): void {
    (this.kids ??= new Set<string>()).add(name);
  }

  deleteChild(name: string): void {
    if (this.kids?.delete(name) === true && this.kids.size === 0) this.kids = null;
  }

  stat(): Stat {
    return {
      czxid: this.czxid,
      mzxid: this.mzxid,
      ctime: this.ctime,
      mtime: this.mtime,
      version: this.version,
      // cversion is stored as a count of creates; clients see creates + deletes (ZooKeeper's v3 rule).
      cversion: (this.cversion * 2 - this.children.size) | 0,
      aversion: this.aversion,
      // Clients see 0 for containers and TTL nodes, whose owner field encodes their kind.
      ephemeralOwner: this.ephemeralOwner === 0n || !isSessionOwner(this.ephemeralOwner) ? 0n : this.ephemeralOwner,
      dataLength: this.data === null ? 0 : this.data.length,
      numChildren: this.children.size,
      pzxid: this.pzxid,
    };
  }
}

/** A znode's own fields, as a snapshot stores them (children are rebuilt from the paths). */
export type DataNodeFields = Pick<DataNode,
  'data' | 'acl' | 'czxid' | 'mzxid' | 'ctime' | 'mtime' | 'version' | 'cversion' | 'aversion' | 'ephemeralOwner' | 'pzxid'>;
