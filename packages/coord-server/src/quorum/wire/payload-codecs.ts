import { QuorumWireError } from './quorum-wire-error.js';
import { safeLongAt } from './safe-long.js';

/**
 * The building blocks of ZAB payloads. Except LearnerInfo, ZooKeeper writes a packet's data
 * with a Java DataOutputStream rather than a jute record (big-endian longs and ints, a boolean
 * as one byte), so each codec here checks the exact size and reads the bytes itself.
 */
export interface PayloadCodec<T> {
  /** Reads a packet's data; a QuorumWireError names the packet and what is wrong. */
  decode(data: Buffer | null): T;
  encode(value: T): Buffer | null;
}

/** A payload of exactly `size` bytes (at least `size` when `atLeast`), or an error naming it. */
export function sized(data: Buffer | null, what: string, size: number, atLeast = false): Buffer {
  if (data === null) throw new QuorumWireError(`${what} has no data, expected ${size} bytes`);
  if (atLeast ? data.length < size : data.length !== size) {
    throw new QuorumWireError(`${what} data is ${data.length} bytes, expected ${atLeast ? 'at least ' : ''}${size}`);
  }
  return data;
}

/** A long our code keeps as a number (server ids, zxids): refused past the safe integers. */
export function numberAt(data: Buffer, at: number, what: string): number {
  return safeLongAt(data, at, what);
}

/** Packets whose meaning is all in type and zxid: ZooKeeper sends null data. */
export function noData(what: string): PayloadCodec<null> {
  return {
    decode(data) {
      if (data !== null && data.length > 0) throw new QuorumWireError(`${what} carries ${data.length} bytes of data, expected none`);
      return null;
    },
    encode: () => null,
  };
}

/** Packets whose data is one txn in ZooKeeper's txn serialization, kept as raw bytes here. */
export function txnBytes(what: string): PayloadCodec<Buffer> {
  return {
    decode(data) {
      if (data === null || data.length === 0) throw new QuorumWireError(`${what} carries no txn`);
      return data;
    },
    encode: (txn) => txn,
  };
}

/** One int (LEADERINFO's protocol version, ACKEPOCH's epoch); ZooKeeper reads the first four bytes. */
export function oneInt(what: string): PayloadCodec<number> {
  return {
    decode: (data) => sized(data, what, 4, true).readInt32BE(0),
    encode(v) {
      const out = Buffer.allocUnsafe(4);
      out.writeInt32BE(v, 0);
      return out;
    },
  };
}

/** One long kept as a number (COMMITANDACTIVATE's designated leader id). */
export function oneLong(what: string): PayloadCodec<number> {
  return {
    decode: (data) => numberAt(sized(data, what, 8, true), 0, `${what} value`),
    encode(v) {
      const out = Buffer.allocUnsafe(8);
      out.writeBigInt64BE(BigInt(v), 0);
      return out;
    },
  };
}
