import { OpCode } from '@paddock/coord-protocol';
import type { Clock } from '@paddock/edges';
import type { DataTree } from '../tree/data-tree.js';
import { ttlOf } from '../tree/ephemeral-type.js';
import { prepDeleteContainer } from './prep.js';
import { PrepView } from './prep-view.js';
import { Request, type Stage } from './request.js';

/** Containers and TTL nodes deleted per check at most (ZooKeeper's maxPerMinute spirit). */
const MAX_REAPED_PER_CHECK = 10_000;

/**
 * The container manager (ZooKeeper's ContainerManager): deletes empty containers that once had
 * children and TTL nodes idle past their TTL. A candidate that changed since the scan is left
 * alone without costing a zxid, so only deletes that prep accepts enter the log stage.
 */
export class ContainerReaper {
  constructor(
    private readonly tree: DataTree,
    private readonly clock: Clock,
    /** Where the deletes enter the pipeline: the log stage. */
    private readonly log: Stage,
  ) {}

  reap(): number {
    let reaped = 0;
    for (const path of this.candidates().slice(0, MAX_REAPED_PER_CHECK)) {
      const ctx = { view: new PrepView(this.tree), sessionId: 0n, authInfo: [], extendedTypes: true, quota: null };
      try {
        this.log.process(Request.internal(0n, OpCode.deleteContainer, prepDeleteContainer(path, ctx)));
        reaped++;
      } catch {
        // Gained a child or vanished since the scan: nothing to do.
      }
    }
    return reaped;
  }

  private candidates(): string[] {
    const now = this.clock.now();
    const out: string[] = [];
    for (const path of this.tree.containers) {
      const n = this.tree.getNode(path)!;
      if (n.children.size === 0 && n.cversion > 0) out.push(path);
    }
    for (const path of this.tree.ttls) {
      const n = this.tree.getNode(path)!;
      const ttl = ttlOf(n.ephemeralOwner) ?? 0;
      if (n.children.size === 0 && ttl !== 0 && now - n.mtime > ttl) out.push(path);
    }
    return out;
  }
}
