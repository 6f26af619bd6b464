import type { ACL, Stat } from '@paddock/coord-protocol';
import { isSessionOwner } from './ephemeral-type.js';

/**
 * One znode. Stat fields live directly on the node (no nested object) to keep the per-znode
 * footprint small; `numChildren` and `dataLength` are derived when a Stat is copied out.
 */
export class DataNode {
  readonly children = new Set<string>();

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
