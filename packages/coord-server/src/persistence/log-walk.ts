import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Txn } from '../txn/txn.js';
import type { ZxidFile } from './files.js';
import { decodeTxnRecord } from './txn-codec.js';

const TWO_32 = 2 ** 32;
const epochOf = (zxid: number): number => Math.floor(zxid / TWO_32);

/**
 * Whether `next` may come right after `last` in one server's history, where zxid = epoch × 2^32
 * + counter. Inside an epoch the counter goes up by one, without holes. A new epoch starts at
 * counter 1: ZooKeeper's leader starts each epoch at (epoch, 0), which NEWLEADER carries and
 * no txn has, and numbers its proposals from there (and forces a new election before the
 * counter wraps). A learner's log follows the leader's: DIFF sends every commit after the
 * learner's last zxid in the leader's order, TRUNC cuts back to a zxid in the leader's log
 * (never across an epoch: LearnerHandler sends a snapshot instead), and INFORM carries every
 * commit in order. So any other jump, also into a later epoch past its counter 1, means txns
 * are missing (a lost log file, a cut made in the wrong place).
 */
export function followsInHistory(last: number, next: number): boolean {
  return next === last + 1 || (epochOf(next) > epochOf(last) && next % TWO_32 === 1);
}

/** Index of the log file that may hold the txn right after `zxid`: the last one named at or below zxid + 1. */
export function firstLogAfter(logs: readonly ZxidFile[], zxid: number): number {
  let first = 0;
  for (let i = 0; i < logs.length; i++) if (logs[i]!.zxid <= zxid + 1) first = i;
  return first;
}

/** A whole record: its txn, the file (index into the list walked) and where it starts and ends. */
export interface WalkedRecord {
  readonly txn: Txn;
  readonly file: number;
  readonly start: number;
  readonly next: number;
}

/** A record that does not read (`torn` says why); the walk ends there. */
export interface UnreadableRecord {
  readonly file: number;
  readonly offset: number;
  readonly buf: Buffer;
  readonly torn: string;
}

/**
 * Every record of the log files from `logs[from]` on, oldest first, a file at a time, up to the
 * first one that does not read. Nothing is written: what to do about damage is the caller's.
 */
export function* walkLogs(dir: string, logs: readonly ZxidFile[], from: number): Generator<WalkedRecord | UnreadableRecord> {
  for (let file = from; file < logs.length; file++) {
    const buf = readFileSync(join(dir, logs[file]!.name));
    let off = 0;
    while (off < buf.length) {
      const rec = decodeTxnRecord(buf, off);
      if ('torn' in rec) {
        yield { file, offset: off, buf, torn: rec.torn };
        return;
      }
      yield { txn: rec.txn, file, start: off, next: rec.next };
      off = rec.next;
    }
  }
}
