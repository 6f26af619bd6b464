import { crc32 } from 'node:zlib';
import { parentPath } from '@paddock/coord-protocol';
import type { DataNodeFields } from '../../tree/data-node.js';
import type { DataTree } from '../../tree/data-tree.js';
import type { Txn, TxnBody } from '../../txn/txn.js';

/**
 * ZooKeeper 3.8's DataTree digest (DigestCalculator, NodeHashMapImpl, AdHash): every node
 * hashes to the CRC32 of its path, its data and 60 bytes of StatPersisted, and the tree's
 * digest is the sum of those hashes modulo 2^64. A sum moves by exactly the nodes a txn
 * changes, so a server maintains it as it applies, and a leader stamps each proposal with the
 * digest the tree will have after it (TxnDigest); a learner that ends elsewhere has diverged.
 */

/** DigestCalculator.DIGEST_VERSION: what 3.8 writes in every TxnDigest and snapshot digest. */
export const DIGEST_VERSION = 2;

/**
 * ZooKeeper leaves out everything below /zookeeper/ (quota stats change without a txn);
 * /zookeeper itself and the root count.
 */
const SKIPPED_PREFIX = '/zookeeper/';
const TWO_32 = 4294967296;
/** Node hashes summed as a float before folding into the 64-bit sum: 2^20 of them stay below 2^53. */
const FOLD_EVERY = 1 << 20;

/** czxid mzxid pzxid ctime mtime (8 bytes each), version cversion aversion (4), ephemeralOwner (8). */
const statBlock = Buffer.alloc(60);

function putLong(v: number, at: number): void {
  const hi = Math.floor(v / TWO_32);
  statBlock.writeInt32BE(hi | 0, at);
  statBlock.writeUInt32BE((v - hi * TWO_32) >>> 0, at + 4);
}

function counted(path: string): boolean {
  return !path.startsWith(SKIPPED_PREFIX);
}

/**
 * One node's hash, as DigestCalculator.calculateDigest: the CRC32 of the path's bytes, the data
 * (when not null) and the stat block. ZooKeeper keys the root as "" and hashes it so; our root
 * is "/". cversion is the stored count of creates, ephemeralOwner the raw owner (container and
 * TTL encodings included), exactly the StatPersisted fields.
 */
export function nodeDigest(path: string, node: DataNodeFields): number {
  let crc = crc32(path === '/' ? '' : path);
  if (node.data !== null) crc = crc32(node.data, crc);
  putLong(node.czxid, 0);
  putLong(node.mzxid, 8);
  putLong(node.pzxid, 16);
  putLong(node.ctime, 24);
  putLong(node.mtime, 32);
  statBlock.writeInt32BE(node.version | 0, 40);
  statBlock.writeInt32BE(node.cversion | 0, 44);
  statBlock.writeInt32BE(node.aversion | 0, 48);
  statBlock.writeBigInt64BE(BigInt.asIntN(64, node.ephemeralOwner), 52);
  return crc32(statBlock, crc);
}

/** The digest of a whole tree, as ZooKeeper computes it after loading a snapshot: a signed 64-bit value. */
export function treeDigest(tree: DataTree): bigint {
  let sum = 0n;
  let partial = 0;
  let n = 0;
  for (const [path, node] of tree.entries()) {
    if (!counted(path)) continue;
    partial += nodeDigest(path, node);
    if (++n === FOLD_EVERY) {
      sum += BigInt(partial);
      partial = 0;
      n = 0;
    }
  }
  return BigInt.asIntN(64, sum + BigInt(partial));
}

/** The nodes whose hash a txn changes: each node it creates, deletes or edits, and the parents whose children change. */
function touchedPaths(tree: DataTree, txn: Txn, body: TxnBody, out: Set<string>): void {
  switch (body.kind) {
    case 'create':
    case 'delete':
      out.add(body.path).add(parentPath(body.path));
      return;
    case 'setData':
    case 'setACL':
      out.add(body.path);
      return;
    case 'closeSession':
      for (const p of body.pathsUnlisted ? tree.ephemeralsOf(txn.sessionId) : body.paths) out.add(p).add(parentPath(p));
      return;
    case 'multi':
      for (const sub of body.txns) touchedPaths(tree, txn, sub, out);
      return;
    default:
      return;
  }
}

/**
 * A tree digest kept up to date as txns apply (ZooKeeper's NodeHashMapImpl with its AdHash):
 * `apply` runs the change, and the digest drops the hashes of the nodes the txn touches
 * before it and adds them back after, so each txn costs a few CRCs, not a walk of the tree.
 */
export class TreeDigest {
  private sum: bigint;

  constructor(initial = 0n) {
    this.sum = initial;
  }

  /** The digest of a tree, to start maintaining it from. */
  static of(tree: DataTree): TreeDigest {
    return new TreeDigest(treeDigest(tree));
  }

  /** As a Java long: TxnDigest.treeDigest and the snapshot's digest carry it signed. */
  get value(): bigint {
    return BigInt.asIntN(64, this.sum);
  }

  add(path: string, node: DataNodeFields): void {
    if (counted(path)) this.sum = BigInt.asUintN(64, this.sum + BigInt(nodeDigest(path, node)));
  }

  remove(path: string, node: DataNodeFields): void {
    if (counted(path)) this.sum = BigInt.asUintN(64, this.sum - BigInt(nodeDigest(path, node)));
  }

  /** Runs `apply` (which applies `txn` to `tree`) and moves the digest by what it changed. */
  track<T>(tree: DataTree, txn: Txn, apply: () => T): T {
    const touched = new Set<string>();
    touchedPaths(tree, txn, txn.body, touched);
    for (const p of touched) {
      const node = tree.getNode(p);
      if (node) this.remove(p, node);
    }
    const result = apply();
    for (const p of touched) {
      const node = tree.getNode(p);
      if (node) this.add(p, node);
    }
    return result;
  }
}
