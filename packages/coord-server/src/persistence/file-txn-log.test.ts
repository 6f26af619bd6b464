import { createHook } from 'node:async_hooks';
import { constants, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../base/logger.js';
import type { StorageError } from './data-dir.js';
import type { Txn } from '../txn/txn.js';
import { FileTxnLog } from './file-txn-log.js';
import { createsAt, recoverFrom } from './testing/txn-history.js';

const logger = createLogger('silent');

/** Where a log file's whole records end (a zero length or a short tail ends them). */
function recordsEnd(buf: Buffer): number {
  let off = 0;
  while (off + 8 <= buf.length) {
    const len = buf.readInt32BE(off);
    if (len <= 0 || off + 8 + len > buf.length) break;
    off += 8 + len;
  }
  return off;
}
const dirs: string[] = [];
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'paddock-txnlog-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function open(dir: string, forceSync: boolean) {
  const durable: number[] = [];
  const fatal: StorageError[] = [];
  let onDurable: () => void = () => {};
  const log = new FileTxnLog({
    dir, forceSync, logger,
    onDurable: (z) => { durable.push(z); onDurable(); },
    onFatal: (e) => { fatal.push(e); onDurable(); },
  }, 0);
  /** Resolves at the next onDurable (or onFatal). */
  const next = (): Promise<void> => new Promise((resolve) => { onDurable = resolve; });
  return { log, durable, fatal, next };
}

/**
 * The libuv thread-pool requests (fs.* with a callback) started while the log makes one batch
 * of `txns` durable, after a first batch of one txn opened the file: each is a hop from the
 * event loop to a pool thread and back, which on a loaded machine costs tens of microseconds of
 * wake-ups on top of the syscall.
 */
async function poolRequestsOfOneBatch(o: ReturnType<typeof open>, txns: readonly Txn[]): Promise<string[]> {
  const [first, ...rest] = txns;
  o.log.append(first!);
  await o.next();
  const seen: string[] = [];
  const hook = createHook({ init: (_id, type) => { if (type === 'FSREQCALLBACK') seen.push(type); } });
  hook.enable();
  try {
    const waiting = o.next();
    for (const txn of rest) o.log.append(txn);
    await waiting;
  } finally {
    hook.disable();
  }
  return seen;
}

/** The open-file flags (Linux /proc/self/fdinfo) of every fd of this process open on `path`. */
function openFlags(path: string): number[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) !== path) return [];
      const m = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
      return m ? [parseInt(m[1]!, 8)] : [];
    } catch {
      return []; // the fd readdir listed for itself is gone by now
    }
  });
}

const hasFdinfo = existsSync('/proc/self/fdinfo');
if (!hasFdinfo) console.warn('[SKIP] file-txn-log: the open-flags test reads /proc/self/fdinfo (Linux only)');

describe('FileTxnLog group commit', () => {
  it('makes a batch durable with one trip to the thread pool: an O_DSYNC write, not a write and then an fdatasync', async () => {
    const o = open(tmp(), true);
    const hops = await poolRequestsOfOneBatch(o, createsAt([1, 2, 3, 4]));
    expect(o.fatal).toEqual([]);
    expect(o.durable).toEqual([1, 4]);
    expect(hops).toHaveLength(1);
    await o.log.close();
  });

  it.skipIf(!hasFdinfo)('opens its file O_DSYNC with forceSync=yes and without it with forceSync=no (a write then survives kill -9, not power loss)', async () => {
    for (const forceSync of [true, false]) {
      const dir = tmp();
      const { log, next } = open(dir, forceSync);
      log.append(createsAt([1])[0]!);
      await next();
      const [file] = readdirSync(dir).filter((f) => f.startsWith('log.'));
      const flags = openFlags(join(dir, file!));
      expect(flags, `forceSync=${forceSync}`).toHaveLength(1);
      expect((flags[0]! & constants.O_DSYNC) !== 0, `forceSync=${forceSync}`).toBe(forceSync);
      // Durable: written at positions over its zero-filled tail; not durable: appended.
      expect(flags[0]! & constants.O_APPEND, `forceSync=${forceSync}`).toBe(forceSync ? 0 : constants.O_APPEND);
      await log.close();
    }
  });

  it('zero-fills ahead of its records, cuts the file back to them at a roll and at close, and a crash leaves only the newest file with a zero tail', async () => {
    const dir = tmp();
    const { log, next } = open(dir, true);
    const logFiles = (): string[] => readdirSync(dir).filter((f) => f.startsWith('log.')).sort();
    log.append(createsAt([1])[0]!);
    await next();
    // After the first batch the zero-fill runs: a chunk of zeros past the record, durable.
    await log.zeroFilled();
    const first = join(dir, logFiles()[0]!);
    const bytes = readFileSync(first);
    const end = recordsEnd(bytes);
    expect(bytes.length).toBeGreaterThan(end + 512 * 1024);
    expect(bytes.subarray(end).every((b) => b === 0)).toBe(true);
    // A roll: the old file is cut back to its records before the new one starts.
    log.roll();
    log.append(createsAt([2])[0]!);
    await next();
    expect(logFiles()).toHaveLength(2);
    expect(statSync(first).size).toBe(end);
    await log.zeroFilled();
    // A crash now (no close): the newest file ends in zeros; recovery reads every record and cuts the zeros.
    const copy = tmp();
    for (const f of logFiles()) copyFileSync(join(dir, f), join(copy, f));
    expect(recoverFrom(copy)).toMatchObject({ lastZxid: 2, replayed: 2, truncated: expect.stringMatching(/never-written \(zero\) space/) });
    // A close cuts it back too: nothing to cut on the next start.
    await log.close();
    expect(recoverFrom(dir)).toMatchObject({ lastZxid: 2, replayed: 2, truncated: null });
  });

  it('with forceSync=no, a batch is one write (no sync at all) and recovers the same', async () => {
    const dir = tmp();
    const o = open(dir, false);
    const hops = await poolRequestsOfOneBatch(o, createsAt([1, 2, 3]));
    expect(hops).toHaveLength(1);
    expect(o.durable).toEqual([1, 3]);
    await o.log.close();
    expect(recoverFrom(dir)).toMatchObject({ lastZxid: 3, replayed: 3, truncated: null });
  });
});
