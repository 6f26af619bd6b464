import { type ACL, JuteWriter, writeAclList } from '@paddock/coord-protocol';
import type { DataNode } from '../../tree/data-node.js';
import type { DataTree } from '../../tree/data-tree.js';

/**
 * ZooKeeper's snapshot serialization (SerializeUtils.serializeSnapshot, DataTree.serialize),
 * what a 3.8 leader streams after a SNAP packet and what its snapshot files hold:
 *
 *   int n, n × (long sessionId, int timeout)
 *   int m, m × (long aclId, vector<ACL>)                   ReferenceCountedACLCache
 *   { ustring path, buffer data, long aclId,               DataNode; the root's path is ""
 *     long czxid, long mzxid, long ctime, long mtime,      StatPersisted (cversion counts creates)
 *     int version, int cversion, int aversion,
 *     long ephemeralOwner, long pzxid }*                   parents before children
 *   ustring "/"                                            the end of the nodes
 *
 * Sessions travel without passwords (every server derives them from the id). aclId -1 is
 * OPEN_ACL_UNSAFE without an entry in the map (ZooKeeper's root and /zookeeper use it).
 */

export interface ZkSession {
  readonly id: bigint;
  readonly timeout: number;
}

/** The path that ends the nodes (ZooKeeper's root is written as "", so no node has it). */
export const END_PATH = '/';
/** Default size of the chunks the writer hands out. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The tree's ACL lists, numbered from 1 in the order nodes first use them (as ZooKeeper's
 * cache numbers them). The tree interns its lists, so a list is found by identity.
 */
function numberAcls(tree: DataTree): Map<readonly ACL[], number> {
  const ids = new Map<readonly ACL[], number>();
  for (const [, node] of tree.entries()) {
    if (!ids.has(node.acl)) ids.set(node.acl, ids.size + 1);
  }
  return ids;
}

function writeNode(w: JuteWriter, path: string, n: DataNode, aclId: number): void {
  w.ustring(path === '/' ? '' : path);
  w.buffer(n.data);
  w.long(aclId);
  w.long(n.czxid); w.long(n.mzxid); w.long(n.ctime); w.long(n.mtime);
  w.int(n.version); w.int(n.cversion); w.int(n.aversion);
  if (n.ephemeralOwner === 0n) w.long(0);
  else w.id(n.ephemeralOwner);
  w.long(n.pzxid);
}

/**
 * Writes the snapshot a chunk at a time (each chunk a fresh Buffer of about `chunkBytes`), so
 * a big tree streams to a socket or file without one giant buffer. The ACL map goes first, so
 * the tree must not take a new ACL list while the chunks are drawn: a node whose list the map
 * lacks fails the snapshot, naming its path. Other changes meanwhile make a fuzzy snapshot, as
 * ZooKeeper's, which the txns after its zxid repair.
 */
export function* zkSnapshotChunks(
  tree: DataTree, sessions: Iterable<ZkSession>, chunkBytes = CHUNK_BYTES,
): Generator<Buffer, void, undefined> {
  const w = new JuteWriter(chunkBytes + 4096);
  const all = [...sessions];
  w.int(all.length);
  for (const s of all) {
    w.id(s.id);
    w.int(s.timeout);
  }
  const acls = numberAcls(tree);
  w.int(acls.size);
  for (const [list, id] of acls) {
    w.long(id);
    writeAclList(w, list);
  }
  for (const [path, node] of tree.entries()) {
    const aclId = acls.get(node.acl);
    if (aclId === undefined) throw new Error(`snapshot: ${path} took an ACL list after the snapshot's ACL map was written`);
    writeNode(w, path, node, aclId);
    if (w.offset >= chunkBytes) {
      yield w.take();
      w.reset();
    }
  }
  w.ustring(END_PATH);
  yield w.take();
}
