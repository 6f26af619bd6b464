import { type ACL, Ids, JuteError, type JuteReader, readAclList } from '@paddock/coord-protocol';
import type { DataNodeFields } from '../../tree/data-node.js';
import { DataTree } from '../../tree/data-tree.js';
import { END_PATH, type ZkSession } from './zk-snapshot.js';

/** The ACL id ZooKeeper reads as OPEN_ACL_UNSAFE with no map entry. */
const OPEN_ACL_ID = -1n;
/** Smallest session (id, timeout) and ACL map entry (id, count) on the wire. */
const MIN_SESSION_BYTES = 12;
const MIN_ACL_ENTRY_BYTES = 12;
/** Where StatPersisted's longs that our model keeps as numbers sit, from the record's start. */
const STAT_LONGS = [['czxid', 0], ['mzxid', 8], ['ctime', 16], ['mtime', 24], ['pzxid', 52]] as const;

/**
 * Bytes that parse but say something impossible (a node before its parent, an unknown ACL id):
 * more bytes cannot mend it, unlike a JuteError from a record cut short.
 */
class SnapshotContentError extends JuteError {}

export interface ZkSnapshot {
  readonly tree: DataTree;
  readonly sessions: readonly ZkSession[];
}

/** The error for a stat whose zxid or time does not fit a JS number, with the field's exact bits. */
function unsafeLong(buf: Buffer, stat: number, path: string): SnapshotContentError {
  const [what, at] = STAT_LONGS.find(([, off]) => !Number.isSafeInteger(Number(buf.readBigInt64BE(stat + off))))!;
  const bits = buf.readBigUInt64BE(stat + at).toString(16);
  return new SnapshotContentError(`snapshot node ${path}: ${what} 0x${bits} is beyond Number.MAX_SAFE_INTEGER`);
}

/**
 * Builds a tree from a snapshot body an item at a time (a session, an ACL map entry, a node),
 * so a whole buffer and a stream arriving in pieces read alike. Each item is read in full
 * before it changes anything, so an item cut short can be read again once more bytes came.
 */
class ZkSnapshotBuilder {
  private readonly tree = new DataTree();
  private readonly sessions: ZkSession[] = [];
  private readonly acls = new Map<bigint, readonly ACL[]>();

  session(r: JuteReader): void {
    const id = r.id();
    this.sessions.push({ id, timeout: r.int() });
  }

  aclEntry(r: JuteReader): void {
    const id = r.id();
    const list = readAclList(r);
    if (this.acls.has(id)) throw new SnapshotContentError(`snapshot ACL map lists id ${id} twice`);
    this.acls.set(id, list);
  }

  /** One node into the tree; false at the "/" that ends the nodes. */
  node(r: JuteReader): boolean {
    const raw = r.ustring();
    if (raw === END_PATH) return false;
    const path = raw === '' ? '/' : raw;
    if (!path.startsWith('/') || (path.length > 1 && path.endsWith('/'))) {
      throw new SnapshotContentError(`snapshot node path ${JSON.stringify(raw)} is not a znode path`);
    }
    const fields = this.nodeFields(r, path);
    if (!this.tree.restoreNode(path, fields)) throw new SnapshotContentError(`snapshot node ${path} comes before its parent`);
    return true;
  }

  /** A node's record after its path; every long our model keeps as a number must be exact. */
  private nodeFields(r: JuteReader, path: string): DataNodeFields {
    const data = r.buffer();
    const aclId = r.id();
    const acl = aclId === OPEN_ACL_ID ? Ids.OPEN_ACL_UNSAFE : this.acls.get(aclId);
    if (acl === undefined) throw new SnapshotContentError(`snapshot node ${path} refers to ACL id ${aclId}, not in the ACL map`);
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

  /** The tree with its quotas counted, and the sessions. */
  finish(): ZkSnapshot {
    this.tree.setupQuotas();
    return { tree: this.tree, sessions: this.sessions };
  }
}

/**
 * Reads a snapshot body from `r` into a fresh DataTree and the session list, leaving `r` after
 * the closing "/". Every count is bounded by the bytes left; a node without its parent, a path
 * that is not absolute or an unknown ACL id fails with an error naming it. The caller sets the
 * tree's lastProcessedZxid (from the SNAP packet or the file name) and derives passwords.
 */
export function readZkSnapshot(r: JuteReader): ZkSnapshot {
  const b = new ZkSnapshotBuilder();
  const sessions = r.vectorLength(MIN_SESSION_BYTES);
  for (let i = 0; i < sessions; i++) b.session(r);
  const acls = r.vectorLength(MIN_ACL_ENTRY_BYTES);
  for (let i = 0; i < acls; i++) b.aclEntry(r);
  while (b.node(r));
  return b.finish();
}
