import { crc32 } from 'node:zlib';
import { asciiInto, parentPath, putInt32BE, putLongBE } from '@paddock/coord-protocol';
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
/** Node hashes summed as a float before folding into the 64-bit sum: 2^20 of them stay below 2^53. */
const FOLD_EVERY = 1 << 20;

/** czxid mzxid pzxid ctime mtime (8 bytes each), version cversion aversion (4), ephemeralOwner (8). */
const STAT_BYTES = 60;
/**
 * One node's hashed bytes (path, data, stat) laid end to end, so a node costs one CRC call,
 * not three: a create re-hashes three nodes on every member. Bigger nodes take three calls.
 */
const scratch = Buffer.alloc(4096);
/** scratch's first n bytes, by n: made once per length, not once per node hashed. */
const prefixes: (Buffer | undefined)[] = new Array<Buffer | undefined>(scratch.length + 1).fill(undefined);

function scratchPrefix(n: number): Buffer {
  return (prefixes[n] ??= scratch.subarray(0, n));
}

function putStat(buf: Buffer, at: number, node: DataNodeFields): void {
  putLongBE(buf, at, node.czxid);
  putLongBE(buf, at + 8, node.mzxid);
  putLongBE(buf, at + 16, node.pzxid);
  putLongBE(buf, at + 24, node.ctime);
  putLongBE(buf, at + 32, node.mtime);
  putInt32BE(buf, at + 40, node.version | 0);
  putInt32BE(buf, at + 44, node.cversion | 0);
  putInt32BE(buf, at + 48, node.aversion | 0);
  const owner = node.ephemeralOwner;
  // Most nodes are persistent: skip the BigInt conversion for them.
  if (owner === 0n) {
    putInt32BE(buf, at + 52, 0);
    putInt32BE(buf, at + 56, 0);
  } else buf.writeBigInt64BE(BigInt.asIntN(64, owner), at + 52);
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
  const key = path === '/' ? '' : path;
  const dataBytes = node.data === null ? 0 : node.data.length;
  // A UTF-8 path takes at most 3 bytes per UTF-16 unit.
  if (key.length * 3 + dataBytes + STAT_BYTES <= scratch.length) {
    // Paths are nearly always ASCII: copied a byte per character, not through the UTF-8 encoder.
    let at = asciiInto(scratch, 0, key);
    if (at < 0) at = scratch.write(key, 0, 'utf8');
    if (node.data !== null) {
      scratch.set(node.data, at);
      at += node.data.length;
    }
    putStat(scratch, at, node);
    return crc32(scratchPrefix(at + STAT_BYTES));
  }
  let crc = crc32(key);
  if (node.data !== null) crc = crc32(node.data, crc);
  putStat(scratch, 0, node);
  return crc32(scratchPrefix(STAT_BYTES), crc);
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

/** One node's hash as last computed, with every field a change to the node would move (kept in place: no object per txn). */
class LastHashed {
  private path = '';
  private node: DataNodeFields | null = null;
  hash = 0;
  private mzxid = 0;
  private pzxid = 0;
  private cversion = 0;
  private version = 0;
  private aversion = 0;
  private data: Buffer | null = null;

  keep(path: string, node: DataNodeFields, hash: number): void {
    this.path = path;
    this.node = node;
    this.hash = hash;
    this.mzxid = node.mzxid;
    this.pzxid = node.pzxid;
    this.cversion = node.cversion;
    this.version = node.version;
    this.aversion = node.aversion;
    this.data = node.data;
  }

  /** Whether `hash` is still this node's: the same node at the same path, none of its hashed fields moved. */
  unchanged(path: string, node: DataNodeFields): boolean {
    return this.node === node && this.path === path && this.mzxid === node.mzxid && this.pzxid === node.pzxid
      && this.cversion === node.cversion && this.version === node.version && this.aversion === node.aversion && this.data === node.data;
  }
}

/** Beyond this a float partial sum of node hashes (each below 2^32) could lose bits: fold it first. */
const PARTIAL_LIMIT = 2 ** 52;

/**
 * A tree digest kept up to date as txns apply (ZooKeeper's NodeHashMapImpl with its AdHash):
 * `apply` runs the change, and the digest drops the hashes of the nodes the txn touches
 * before it and adds them back after, so each txn costs a few CRCs, not a walk of the tree.
 * The hashes go into a float partial sum, folded into the 64-bit sum when read, instead of
 * BigInt arithmetic for every node.
 */
export class TreeDigest {
  private sum: bigint;
  private partial = 0;
  /**
   * The node added last and its hash, with the fields a change to it would move: the next txn
   * usually removes that very node first (the parent of sequential creates, a node set over and
   * over), and then need not hash it again.
   */
  private readonly last = new LastHashed();

  constructor(initial = 0n) {
    this.sum = BigInt.asUintN(64, initial);
  }

  /** The digest of a tree, to start maintaining it from. */
  static of(tree: DataTree): TreeDigest {
    return new TreeDigest(treeDigest(tree));
  }

  /** As a Java long: TxnDigest.treeDigest and the snapshot's digest carry it signed. */
  get value(): bigint {
    this.fold();
    return BigInt.asIntN(64, this.sum);
  }

  add(path: string, node: DataNodeFields): void {
    if (!counted(path)) return;
    const hash = nodeDigest(path, node);
    this.last.keep(path, node, hash);
    this.move(hash);
  }

  remove(path: string, node: DataNodeFields): void {
    if (!counted(path)) return;
    this.move(-(this.last.unchanged(path, node) ? this.last.hash : nodeDigest(path, node)));
  }

  /** Runs `apply` (which applies `txn` to `tree`) and moves the digest by what it changed. */
  track<T>(tree: DataTree, txn: Txn, apply: () => T): T {
    const body = txn.body;
    // The single-node kinds (nearly every txn) without a set of paths.
    switch (body.kind) {
      case 'setData':
      case 'setACL':
        return this.around(tree, body.path, null, apply, true);
      // A create that applies finds no node there before (the tree throws on one that exists).
      case 'create':
        return this.around(tree, body.path, parentPath(body.path), apply, false);
      case 'delete':
        return this.around(tree, body.path, parentPath(body.path), apply, true);
      default: {
        const touched = new Set<string>();
        touchedPaths(tree, txn, body, touched);
        for (const p of touched) this.removeNode(tree, p);
        const result = apply();
        for (const p of touched) this.addNode(tree, p);
        return result;
      }
    }
  }

  /**
   * The nodes are changed in place: the parent (which a create or delete of its child never
   * replaces) is looked up once, and so is a node that exists before and is still there after.
   */
  private around<T>(tree: DataTree, path: string, parent: string | null, apply: () => T, existed: boolean): T {
    const before = existed ? tree.getNode(path) : undefined;
    if (before) this.remove(path, before);
    const parentNode = parent === null ? undefined : tree.getNode(parent);
    if (parent !== null && parentNode) this.remove(parent, parentNode);
    const result = apply();
    const after = before !== undefined && parent === null ? before : tree.getNode(path);
    if (after) this.add(path, after);
    if (parent !== null && parentNode) this.add(parent, parentNode);
    return result;
  }

  private removeNode(tree: DataTree, path: string): void {
    const node = tree.getNode(path);
    if (node) this.remove(path, node);
  }

  private addNode(tree: DataTree, path: string): void {
    const node = tree.getNode(path);
    if (node) this.add(path, node);
  }

  private move(by: number): void {
    this.partial += by;
    if (Math.abs(this.partial) >= PARTIAL_LIMIT) this.fold();
  }

  private fold(): void {
    if (this.partial === 0) return;
    this.sum = BigInt.asUintN(64, this.sum + BigInt(this.partial));
    this.partial = 0;
  }
}
