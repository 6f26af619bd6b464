import { closeSync, fstatSync, openSync, readSync, rmSync } from 'node:fs';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { JuteError, JuteReader, JuteWriter, readAclList, writeAclList } from '@paddock/coord-protocol';
import type { SessionTracker } from '../session/session-tracker.js';
import type { DataTree } from '../tree/data-tree.js';
import { ChunkedReader } from './chunked-reader.js';
import { failpoint } from './failpoints.js';
import { snapFileName } from './files.js';
import { readOwner } from './txn-codec.js';

/**
 * Snapshot file layout (all jute encoded):
 *
 *   int magic 'PDSN' | int version | long zxid | int sessionCount | sessions (id, timeout, passwd)
 *   { int 1 | path | data | acl[] | czxid mzxid ctime mtime | version cversion aversion | owner | pzxid }*
 *   int 0 | uint32 crc32 of everything before it
 *
 * Snapshots are fuzzy, as ZooKeeper's: written a chunk per event-loop turn while requests go
 * on, named after the last zxid applied when they started. Recovery replays the log from that
 * zxid, and replay tolerates changes the snapshot already holds.
 *
 * The tree is applied before its txns are durable (replies wait, the tree does not), so a
 * snapshot may hold changes the log does not have yet, and half of a multi that landed while
 * it was written. Replay repairs that only for txns the log has: the file is therefore renamed
 * into place (made visible to recovery) only once every txn it may hold is durable.
 */
const MAGIC = 0x5044534e;
const VERSION = 1;
/**
 * Most bytes serialized before they are written out and the event loop gets a turn: some 1,200
 * znodes, well under a millisecond, so a member on the quorum's critical path (a leader between
 * a batch of requests and its proposals) is held up that long at most, not for a whole snapshot.
 */
const CHUNK_BYTES = 256 * 1024;
/**
 * Longest stretch of serializing between two turns of the event loop (checked every 256
 * nodes): the byte bound alone let the first chunks, run before V8 optimizes the loop, block
 * requests for 25-50 ms with a million znodes.
 */
const SLICE_MS = 2;

export interface SnapshotInfo {
  readonly file: string;
  readonly zxid: number;
  readonly nodes: number;
  readonly bytes: number;
}

/** Serializes the tree into `fh` a chunk per event-loop turn; ends with the checksum and an fsync. */
async function serialize(
  fh: FileHandle, zxid: number, tree: DataTree, sessions: SessionTracker,
): Promise<{ nodes: number; bytes: number; holdsUpTo: number }> {
  const w = new JuteWriter(CHUNK_BYTES + 64 * 1024);
  let crc = 0;
  let bytes = 0;
  let nodes = 0;
  // The writer's own buffer goes to disk (no copy per chunk: less garbage, fewer GC pauses).
  const flush = async (tail: boolean) => {
    if (tail) w.int(0);
    const buf = w.buf.subarray(0, w.offset);
    crc = crc32(buf, crc);
    bytes += buf.length;
    const injected = failpoint('snapshot.write');
    if (injected) throw injected;
    await fh.write(buf);
    w.reset();
  };
  w.int(MAGIC);
  w.int(VERSION);
  w.long(zxid);
  const all = [...sessions.all()];
  w.int(all.length);
  for (const s of all) {
    w.id(s.id);
    w.int(s.timeout);
    w.buffer(s.passwd);
  }
  let sliceStart = performance.now();
  for (const [path, n] of tree.entries()) {
    w.int(1);
    w.ustring(path);
    w.buffer(n.data);
    writeAclList(w, n.acl);
    w.long(n.czxid); w.long(n.mzxid); w.long(n.ctime); w.long(n.mtime);
    w.int(n.version); w.int(n.cversion); w.int(n.aversion);
    // Most znodes have no owner; writing 0 directly skips a BigInt conversion per znode (~30% of the loop).
    if (n.ephemeralOwner === 0n) w.long(0);
    else w.id(n.ephemeralOwner);
    w.long(n.pzxid);
    nodes++;
    if (w.offset >= CHUNK_BYTES || ((nodes & 255) === 0 && performance.now() - sliceStart >= SLICE_MS)) {
      await flush(false);
      sliceStart = performance.now();
    }
  }
  // Every change the file can hold was applied by now.
  const holdsUpTo = Math.max(zxid, tree.lastProcessedZxid);
  await flush(true);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc >>> 0, 0);
  await fh.write(sum);
  await fh.sync();
  return { nodes, bytes: bytes + 4, holdsUpTo };
}

/** A snapshot written and synced under its temporary name, not yet visible to recovery. */
export interface UnpublishedSnapshot extends SnapshotInfo {
  readonly tmp: string;
  /** Every txn whose changes the file may hold is at or below this zxid. */
  readonly holdsUpTo: number;
}

/** Serializes the tree to `snapshot.<zxid>.tmp` in `dir` and syncs it; a failure leaves no file. */
export async function writeUnpublished(dir: string, zxid: number, tree: DataTree, sessions: SessionTracker): Promise<UnpublishedSnapshot> {
  const file = join(dir, snapFileName(zxid));
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w');
  let written;
  try {
    written = await serialize(fh, zxid, tree, sessions);
  } finally {
    await fh.close();
    if (!written) rmSync(tmp, { force: true });
  }
  return { file, tmp, zxid, nodes: written.nodes, bytes: written.bytes, holdsUpTo: written.holdsUpTo };
}

/** Renames the file into place and makes that durable: from here on recovery may load it. */
export async function publish(snap: UnpublishedSnapshot): Promise<SnapshotInfo> {
  // Async: renaming over an older file of the same name frees its blocks, which can take tens of ms.
  await rename(snap.tmp, snap.file);
  const dirHandle = await open(dirname(snap.file), 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
  return { file: snap.file, zxid: snap.zxid, nodes: snap.nodes, bytes: snap.bytes };
}

/**
 * Writes a snapshot of the live tree. `untilDurable(z)` must resolve once every txn up to `z`
 * is durable in the log (and reject if it never will be); the snapshot is published after it.
 */
export async function writeSnapshot(
  dir: string, zxid: number, tree: DataTree, sessions: SessionTracker,
  untilDurable: (zxid: number) => Promise<void> = async () => {},
): Promise<SnapshotInfo> {
  const snap = await writeUnpublished(dir, zxid, tree, sessions);
  try {
    await untilDurable(snap.holdsUpTo);
  } catch (err) {
    rmSync(snap.tmp, { force: true });
    throw err;
  }
  return publish(snap);
}

/**
 * Whether recovery would load the file: its header is ours and the body matches its checksum.
 * Reads it a window at a time without building a tree (truncation asks this of a snapshot it
 * will fall back to).
 */
export function snapshotIntact(file: string): boolean {
  let fd = -1;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const window = Buffer.allocUnsafe(Math.min(4 * 1024 * 1024, Math.max(size, 8)));
    if (size < 24 + 4 || readSync(fd, window, 0, 8, 0) !== 8) return false;
    if (window.readInt32BE(0) !== MAGIC || window.readInt32BE(4) !== VERSION) return false;
    let crc = 0;
    for (let pos = 0; pos < size - 4;) {
      const n = readSync(fd, window, 0, Math.min(window.length, size - 4 - pos), pos);
      if (n <= 0) return false;
      crc = crc32(window.subarray(0, n), crc);
      pos += n;
    }
    return readSync(fd, window, 0, 4, size - 4) === 4 && window.readUInt32BE(0) === crc >>> 0;
  } catch {
    return false;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

interface NodeRecord {
  readonly path: string;
  readonly fields: Parameters<DataTree['restoreNode']>[1];
}

/** One node, or null at the end marker. */
function readNode(r: JuteReader): NodeRecord | null {
  if (r.int() !== 1) return null;
  const path = r.ustring();
  const data = r.buffer();
  const acl = readAclList(r);
  return {
    path,
    fields: {
      data, acl, czxid: r.long(), mzxid: r.long(), ctime: r.long(), mtime: r.long(), version: r.int(),
      cversion: r.int(), aversion: r.int(), ephemeralOwner: readOwner(r), pzxid: r.long(),
    },
  };
}

function readHeader(r: JuteReader): { magic: number; version: number; zxid: number; sessions: number } {
  return { magic: r.int(), version: r.int(), zxid: r.long(), sessions: r.int() };
}

function readSession(r: JuteReader): { id: bigint; timeout: number; passwd: Buffer | null } {
  return { id: r.id(), timeout: r.int(), passwd: r.buffer() };
}

/**
 * Loads a snapshot into an empty tree and tracker, reading the file a window at a time.
 * Throws when the file is truncated or fails its checksum (checked at the end: the caller
 * then drops the tree and falls back to an older snapshot).
 */
export function loadSnapshot(file: string, tree: DataTree, sessions: SessionTracker): { zxid: number; nodes: number } {
  const input = new ChunkedReader(file, 24);
  try {
    const header = input.next(readHeader);
    if (header.magic !== MAGIC || header.version !== VERSION) throw new JuteError(`snapshot ${file} has an unknown format`);
    if (header.sessions < 0) throw new JuteError(`snapshot ${file} has ${header.sessions} sessions`);
    for (let i = 0; i < header.sessions; i++) {
      const s = input.next(readSession);
      sessions.add(s.id, s.timeout, s.passwd ?? Buffer.alloc(16));
    }
    let nodes = 0;
    for (let n = input.next(readNode); n !== null; n = input.next(readNode)) {
      tree.restoreNode(n.path, n.fields);
      nodes++;
    }
    input.finish();
    tree.setupQuotas();
    tree.lastProcessedZxid = header.zxid;
    return { zxid: header.zxid, nodes };
  } finally {
    input.close();
  }
}
