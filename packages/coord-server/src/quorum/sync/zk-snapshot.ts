import { type ACL, Ids, JuteError, type JuteReader, JuteWriter, codec } from '@paddock/coord-protocol';
import type { DataNode, DataNodeFields } from '../../tree/data-node.js';
import { DataTree } from '../../tree/data-tree.js';

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

/** The ACL id ZooKeeper reads as OPEN_ACL_UNSAFE with no map entry. */
const OPEN_ACL_ID = -1n;
const END_PATH = '/';
const aclCodec = codec('ACL');
/** Smallest ACL on the wire (perms and two empty strings), session (id, timeout), ACL map entry (id, count). */
const MIN_ACL_BYTES = 12;
const MIN_SESSION_BYTES = 12;
const MIN_ACL_ENTRY_BYTES = 12;
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
    w.int(list.length);
    for (const a of list) aclCodec.encode(w, a);
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

function readSessions(r: JuteReader): ZkSession[] {
  const n = r.vectorLength(MIN_SESSION_BYTES);
  const out: ZkSession[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { id: r.id(), timeout: r.int() };
  return out;
}

function readAclMap(r: JuteReader): Map<bigint, ACL[]> {
  const n = r.vectorLength(MIN_ACL_ENTRY_BYTES);
  const map = new Map<bigint, ACL[]>();
  for (let i = 0; i < n; i++) {
    const id = r.id();
    const count = r.vectorLength(MIN_ACL_BYTES);
    const list: ACL[] = new Array(count);
    for (let j = 0; j < count; j++) list[j] = aclCodec.decode(r);
    if (map.has(id)) throw new JuteError(`snapshot ACL map lists id ${id} twice`);
    map.set(id, list);
  }
  return map;
}

/** Where StatPersisted's longs that our model keeps as numbers sit, from the record's start. */
const STAT_LONGS = [['czxid', 0], ['mzxid', 8], ['ctime', 16], ['mtime', 24], ['pzxid', 52]] as const;

/** The error for a stat whose zxid or time does not fit a JS number, with the field's exact bits. */
function unsafeLong(buf: Buffer, stat: number, path: string): JuteError {
  const [what, at] = STAT_LONGS.find(([, off]) => !Number.isSafeInteger(Number(buf.readBigInt64BE(stat + off))))!;
  const bits = buf.readBigUInt64BE(stat + at).toString(16);
  return new JuteError(`snapshot node ${path}: ${what} 0x${bits} is beyond Number.MAX_SAFE_INTEGER`);
}

/** A node's record after its path; every long our model keeps as a number must be exact. */
function readNodeFields(r: JuteReader, path: string, acls: ReadonlyMap<bigint, readonly ACL[]>): DataNodeFields {
  const data = r.buffer();
  const aclId = r.id();
  const acl = aclId === OPEN_ACL_ID ? Ids.OPEN_ACL_UNSAFE : acls.get(aclId);
  if (acl === undefined) throw new JuteError(`snapshot node ${path} refers to ACL id ${aclId}, not in the ACL map`);
  const stat = r.offset;
  const czxid = r.long();
  const mzxid = r.long();
  const ctime = r.long();
  const mtime = r.long();
  const version = r.int();
  const cversion = r.int();
  const aversion = r.int();
  const ephemeralOwner = r.id();
  const pzxid = r.long();
  if (!(Number.isSafeInteger(czxid) && Number.isSafeInteger(mzxid) && Number.isSafeInteger(ctime)
    && Number.isSafeInteger(mtime) && Number.isSafeInteger(pzxid))) {
    throw unsafeLong(r.buf, stat, path);
  }
  return {
    data, acl, czxid, mzxid, ctime, mtime, version, cversion, aversion,
    ephemeralOwner: ephemeralOwner === 0n ? 0n : ephemeralOwner, pzxid,
  };
}

export interface ZkSnapshot {
  readonly tree: DataTree;
  readonly sessions: readonly ZkSession[];
}

/**
 * Reads a snapshot body from `r` into a fresh DataTree and the session list, leaving `r` after
 * the closing "/". Every count is bounded by the bytes left; a node without its parent, a path
 * that is not absolute or an unknown ACL id fails with an error naming it. The caller sets the
 * tree's lastProcessedZxid (from the SNAP packet or the file name) and derives passwords.
 */
export function readZkSnapshot(r: JuteReader): ZkSnapshot {
  const sessions = readSessions(r);
  const acls = readAclMap(r);
  const tree = new DataTree();
  for (let raw = r.ustring(); raw !== END_PATH; raw = r.ustring()) {
    const path = raw === '' ? '/' : raw;
    if (!path.startsWith('/') || (path.length > 1 && path.endsWith('/'))) {
      throw new JuteError(`snapshot node path ${JSON.stringify(raw)} is not a znode path`);
    }
    const fields = readNodeFields(r, path, acls);
    if (!tree.restoreNode(path, fields)) throw new JuteError(`snapshot node ${path} comes before its parent`);
  }
  tree.setupQuotas();
  return { tree, sessions };
}
