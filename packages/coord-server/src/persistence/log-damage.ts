import { RECORD_HEADER, decodeTxnRecord } from './txn-codec.js';

/**
 * What recovery may do about a txn log record it cannot read.
 *
 * Only a tail that is provably incomplete may be cut: a crash in the middle of a write leaves
 * the file ending inside the record it was writing (write(2) extends a file page by page), and
 * space that was never written reads as zero bytes. Anything else is damage to records that
 * may have been acknowledged, and cutting there would silently drop them: a complete record
 * that fails its checksum, a length field that a one-bit repair makes whole again, or valid
 * records after the bad one. Recovery then refuses to start and changes nothing, as ZooKeeper
 * refuses a log that fails its CRC check.
 */
export type Damage =
  | { readonly cut: true; readonly why: string; readonly zeros?: true }
  | { readonly cut: false; readonly why: string; readonly after: FollowingRecords | null };

/** The valid records found after a damaged one: acknowledged history that a cut would lose. */
interface FollowingRecords {
  readonly count: number;
  readonly firstZxid: number;
  readonly lastZxid: number;
}

/** Bytes a record's payload needs before its zxid can be read (zxid, time, session id). */
const ZXID_BYTES = 8;
const TWO_32 = 2 ** 32;

function allZero(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

/**
 * Counts the valid records with a zxid above `lastZxid` that start anywhere after `from`,
 * following each one found to the next. A cheap zxid test comes before the checksum, so
 * scanning many megabytes of damage costs one pass over it.
 */
function findFollowingRecords(buf: Buffer, from: number, lastZxid: number): FollowingRecords | null {
  let first = -1;
  let last = -1;
  let count = 0;
  let p = from;
  while (p + RECORD_HEADER + ZXID_BYTES <= buf.length) {
    const len = buf.readInt32BE(p);
    const zxid = buf.readInt32BE(p + RECORD_HEADER) * TWO_32 + buf.readUInt32BE(p + RECORD_HEADER + 4);
    if (len >= ZXID_BYTES && len <= buf.length - p - RECORD_HEADER && zxid > lastZxid) {
      const rec = decodeTxnRecord(buf, p);
      if ('txn' in rec) {
        if (first < 0) first = rec.txn.zxid;
        last = rec.txn.zxid;
        count++;
        p = rec.next;
        continue;
      }
    }
    p++;
  }
  return count === 0 ? null : { count, firstZxid: first, lastZxid: last };
}

/** True when flipping one bit of the length field makes the record at `off` whole and valid. */
function lengthFlipRepairs(buf: Buffer, off: number): boolean {
  const len = buf.readInt32BE(off);
  const copy = Buffer.from(buf.subarray(off));
  for (let bit = 0; bit < 32; bit++) {
    copy.writeInt32BE((len ^ (1 << bit)) | 0, 0);
    if ('txn' in decodeTxnRecord(copy, 0)) return true;
  }
  return false;
}

/**
 * Judges the record at `off` that `decodeTxnRecord` called torn (`torn` says why), given the
 * last zxid read before it.
 */
export function judgeDamage(buf: Buffer, off: number, torn: string, lastZxid: number): Damage {
  if (allZero(buf, off)) return { cut: true, why: 'never-written (zero) space', zeros: true };
  const rest = buf.length - off;
  const after = findFollowingRecords(buf, off + 1, lastZxid);
  if (after) return { cut: false, why: `${torn}, and valid records follow it`, after };
  if (rest < RECORD_HEADER) return { cut: true, why: `the file ends inside a record header (${rest} bytes)` };
  const len = buf.readInt32BE(off);
  if (len > 0 && len <= rest - RECORD_HEADER) {
    return { cut: false, why: `${torn} in a complete record: it was written whole, so this is damage, not a torn write`, after: null };
  }
  if (lengthFlipRepairs(buf, off)) {
    return { cut: false, why: 'its length field is damaged: with one bit changed it is a complete, valid record', after: null };
  }
  // A torn write cuts a record short; it never writes a wrong length.
  if (len <= 0) return { cut: false, why: `a record length of ${len}`, after: null };
  return { cut: true, why: `the file ends inside the record (${torn})` };
}
