import { JuteWriter, codec, type ACL } from '@paddock/coord-protocol';

/** The parts of a snapshot as ZKDatabase.serializeSnapshot writes them; nodes in the order given. */
export interface SnapshotParts {
  readonly sessions: readonly (readonly [bigint, number])[];
  readonly acls: readonly (readonly [number, readonly ACL[]])[];
  /** Path and data; the root's path is "". Stats are written as zeros. */
  readonly nodes: readonly (readonly [string, Buffer | null])[];
}

/**
 * Snapshot bytes in ZooKeeper's layout, for tests of the SNAP framing only (the snapshot
 * serializer proper lives with the sync code): session count and (id, timeout) pairs, the ACL
 * cache, then each node's path, data, ACL key and a zeroed StatPersisted, then the path "/".
 */
export function snapshotBytes(parts: SnapshotParts): Buffer {
  const w = new JuteWriter();
  w.int(parts.sessions.length);
  for (const [id, timeout] of parts.sessions) {
    w.id(id);
    w.int(timeout);
  }
  w.int(parts.acls.length);
  for (const [key, list] of parts.acls) {
    w.long(key);
    w.int(list.length);
    for (const acl of list) codec('ACL').encode(w, acl);
  }
  for (const [path, data] of parts.nodes) {
    w.ustring(path);
    w.buffer(data);
    w.long(1);
    for (let i = 0; i < 4; i++) w.long(0);
    for (let i = 0; i < 3; i++) w.int(0);
    w.long(0);
    w.long(0);
  }
  w.ustring('/');
  return w.take();
}
