import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { JuteReader } from '@paddock/coord-protocol';
import { Adler32 } from '../../packages/coord-server/src/quorum/sync/adler32.js';

/**
 * A small reader of ZooKeeper's txn log files (FileTxnLog), for tests only:
 *
 *   FileHeader  int magic "ZKLG" | int version 2 | long dbid
 *   { long Adler-32 of the entry | int length | entry bytes | byte 0x42 ("EOR") }*
 *   zeros (the file is preallocated), or the end of the file
 *
 * An entry is one txn in ZooKeeper's serialization (zk-txn.ts decodes it).
 */
const LOG_MAGIC = 0x5a4b4c47;
const END_OF_RECORD = 0x42;

/** The entries of one log file, each checked against its checksum and end-of-record byte. */
function readTxnLogFile(file: string): Buffer[] {
  const buf = readFileSync(file);
  const r = new JuteReader(buf);
  if (r.int() !== LOG_MAGIC) throw new Error(`${file} is not a ZooKeeper txn log`);
  r.int();
  r.long();
  const entries: Buffer[] = [];
  while (r.remaining >= 12) {
    const crc = r.long();
    const len = r.int();
    if (len === 0) break;
    if (len < 0 || len + 1 > r.remaining) throw new Error(`${file}: entry of ${len} bytes at ${r.offset} runs past the file`);
    const entry = buf.subarray(r.offset, r.offset + len);
    r.offset += len;
    if (new Adler32().update(entry).value !== crc) throw new Error(`${file}: entry at ${r.offset - len} fails its checksum`);
    if (buf[r.offset++] !== END_OF_RECORD) throw new Error(`${file}: entry at ${r.offset - len - 1} lacks its end-of-record byte`);
    entries.push(Buffer.from(entry));
  }
  return entries;
}

/** Every entry of every log file in a data dir's version-2 folder, in zxid order of the files. */
export function readTxnLogs(dataDir: string): Buffer[] {
  const dir = join(dataDir, 'version-2');
  const logs = readdirSync(dir)
    .filter((f) => /^log\.[0-9a-f]+$/.test(f))
    .sort((a, b) => parseInt(a.slice(4), 16) - parseInt(b.slice(4), 16));
  return logs.flatMap((f) => readTxnLogFile(join(dir, f)));
}

/** The newest snapshot file of a data dir and its zxid. */
export function newestSnapshot(dataDir: string): { file: string; zxid: number } {
  const dir = join(dataDir, 'version-2');
  const snaps = readdirSync(dir)
    .filter((f) => /^snapshot\.[0-9a-f]+$/.test(f))
    .map((f) => ({ file: join(dir, f), zxid: parseInt(f.slice(9), 16) }))
    .sort((a, b) => b.zxid - a.zxid);
  if (snaps.length === 0) throw new Error(`no snapshot in ${dir}`);
  return snaps[0]!;
}
