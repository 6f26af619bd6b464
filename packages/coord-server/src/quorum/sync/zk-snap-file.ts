import { JuteError, JuteReader, JuteWriter } from '@paddock/coord-protocol';
import type { DataTree } from '../../tree/data-tree.js';
import { Adler32 } from './adler32.js';
import { DIGEST_VERSION, treeDigest } from './digest.js';
import { type ZkSnapshot, readZkSnapshot } from './zk-snapshot-reader.js';
import { type ZkSession, zkSnapshotChunks } from './zk-snapshot.js';

/**
 * ZooKeeper's snapshot file, version-2/snapshot.<zxid in hex> (FileSnap with SnapStream's
 * default, uncompressed "checked" stream):
 *
 *   FileHeader  int magic "ZKSN" | int version 2 | long dbid -1
 *   the snapshot body (zk-snapshot.ts)
 *   seal        long Adler-32 of every byte before it | ustring "/"
 *   digest      long zxid | int digestVersion | long digest      (3.6+, when digests are enabled)
 *   seal        long Adler-32 of every byte before it | ustring "/"
 *
 * The digest is the tree's digest at `zxid`, taken after the body is written (the body may be
 * fuzzy); a loading server compares its tree's digest when its replay reaches that zxid.
 */
const SNAP_MAGIC = 0x5a4b534e;
const SNAP_VERSION = 2;
const DB_ID = -1;
const SEAL_PATH = '/';

export interface SnapDigest {
  readonly zxid: number;
  readonly version: number;
  readonly digest: bigint;
}

/** The file name ZooKeeper gives a snapshot started after `zxid` was applied. */
export function zkSnapFileName(zxid: number): string {
  return `snapshot.${zxid.toString(16)}`;
}

function seal(sum: Adler32): Buffer {
  const w = new JuteWriter(16);
  w.long(sum.value);
  w.ustring(SEAL_PATH);
  return w.take();
}

/**
 * The file's bytes a chunk at a time. `digest` defaults to the tree's digest at its
 * lastProcessedZxid, computed after the body; null leaves the digest part out, as a server
 * with zookeeper.digest.enabled=false writes it.
 */
export function* zkSnapFileChunks(
  tree: DataTree, sessions: Iterable<ZkSession>, digest?: SnapDigest | null,
): Generator<Buffer, void, undefined> {
  const sum = new Adler32();
  const out = (b: Buffer): Buffer => {
    sum.update(b);
    return b;
  };
  const head = new JuteWriter(16);
  head.int(SNAP_MAGIC);
  head.int(SNAP_VERSION);
  head.long(DB_ID);
  yield out(head.take());
  for (const chunk of zkSnapshotChunks(tree, sessions)) yield out(chunk);
  yield out(seal(sum));
  if (digest === null) return;
  const d = digest ?? { zxid: tree.lastProcessedZxid, version: DIGEST_VERSION, digest: treeDigest(tree) };
  const w = new JuteWriter(32);
  w.long(d.zxid);
  w.int(d.version);
  w.id(d.digest);
  yield out(w.take());
  yield out(seal(sum));
}

/** Reads a seal at `r` and checks it against the bytes before it. */
function checkSeal(r: JuteReader, what: string): void {
  const expected = new Adler32().update(r.buf.subarray(0, r.offset)).value;
  const found = r.long();
  const path = r.ustringOrNull();
  if (found !== expected) throw new JuteError(`snapshot ${what} checksum is ${found}, the bytes before it sum to ${expected}`);
  if (path !== SEAL_PATH) throw new JuteError(`snapshot ${what} seal ends with ${JSON.stringify(path)}, not "/"`);
}

function readDigest(r: JuteReader): SnapDigest {
  const zxid = r.long();
  const version = r.int();
  if (version >= 2) return { zxid, version, digest: r.id() };
  // Before version 2 the digest was written as a hex string.
  const text = r.ustringOrNull() ?? '0';
  if (!/^-?[0-9a-f]{1,16}$/i.test(text)) throw new JuteError(`snapshot digest ${JSON.stringify(text)} is not hex`);
  return { zxid, version, digest: BigInt.asIntN(64, BigInt(text.startsWith('-') ? `-0x${text.slice(1)}` : `0x${text}`)) };
}

/**
 * Reads a whole snapshot file: the tree, its sessions and the digest part when there is one.
 * A wrong magic, a failed checksum or bytes after the last seal fail naming what was found.
 */
export function readZkSnapFile(buf: Buffer): ZkSnapshot & { readonly digest: SnapDigest | null } {
  const r = new JuteReader(buf);
  const magic = r.int();
  if (magic !== SNAP_MAGIC) throw new JuteError(`snapshot magic 0x${(magic >>> 0).toString(16)} is not ZKSN`);
  r.int(); // version: ZooKeeper does not check it either
  r.long(); // dbid
  const snap = readZkSnapshot(r);
  checkSeal(r, 'body');
  if (r.remaining === 0) return { ...snap, digest: null };
  const digest = readDigest(r);
  checkSeal(r, 'digest');
  if (r.remaining !== 0) throw new JuteError(`snapshot has ${r.remaining} bytes after its last seal`);
  return { ...snap, digest };
}
