import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../base/logger.js';
import { applyTxn } from '../txn/apply.js';
import type { Txn } from '../txn/txn.js';
import { createsAt, dump, emptyTarget, recoverFrom, stateAfter, zx } from './testing/txn-history.js';
import { StorageError } from './data-dir.js';
import { Persistence } from './persistence.js';
import { TruncateError } from './truncate-log.js';

const logger = createLogger('silent');
const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'paddock-zab-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** Epoch 1 counters 1..5. */
const EPOCH1 = createsAt([1, 2, 3, 4, 5].map((c) => zx(1, c)));

function open(dir: string, p: typeof Persistence = Persistence, snapCount = 1_000_000) {
  const fatal: StorageError[] = [];
  const live = emptyTarget();
  const persistence = new p({
    snapDir: dir, logDir: dir, forceSync: true, snapCount, snapRetainCount: 3, logger, random: () => 0,
    onFatal: (e) => { fatal.push(e); },
  }, 0);
  persistence.attach(live.tree, live.sessions);
  const write = (txns: readonly Txn[]) => { for (const t of txns) { persistence.append(t); applyTxn(live, t); } };
  return { persistence, live, write, fatal };
}

/** Rejects when the promise has not settled within a bounded time: a wait that never ends fails the test at once. */
function within<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('Persistence for ZAB', () => {
  it('flushed() resolves with the last zxid appended once it is durable', async () => {
    const { persistence, write } = open(tmp());
    expect(await persistence.flushed()).toBe(0);
    write(EPOCH1);
    expect(persistence.durableZxid).toBe(0);
    expect(await persistence.flushed()).toBe(zx(1, 5));
    expect(persistence.durableZxid).toBe(zx(1, 5));
    await persistence.close();
  });

  it('a txnlog.fsync sleep failpoint (a slow disk) holds a batch\'s durability until the sleep ends', async () => {
    vi.stubEnv('PADDOCK_FAILPOINTS', 'txnlog.fsync=sleep(60000)');
    vi.resetModules();
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const slow = (await import('./persistence.js')).Persistence;
      const { persistence, write } = open(tmp(), slow);
      write(EPOCH1);
      const flushed = persistence.flushed();
      // The write goes to the file; the fsync then waits on the sleep's timer.
      for (let i = 0; i < 10_000 && vi.getTimerCount() === 0; i++) await new Promise((r) => setImmediate(r));
      expect(vi.getTimerCount()).toBe(1);
      expect(persistence.durableZxid).toBe(0);
      vi.runOnlyPendingTimers();
      expect(await flushed).toBe(zx(1, 5));
      await persistence.close();
    } finally {
      vi.useRealTimers();
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('PADDOCK_FAILPOINTS names a bad sleep entry', async () => {
    for (const bad of ['txnlog.fsync=sleep(60001)', 'txnlog.fsync=sleep(x)', 'txnlog.fsync=sleep']) {
      vi.stubEnv('PADDOCK_FAILPOINTS', bad);
      vi.resetModules();
      await expect(import('./failpoints.js')).rejects.toThrow(`bad entry "${bad}"`);
    }
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('flushed() rejects with the StorageError when the disk fails under the log', async () => {
    vi.stubEnv('PADDOCK_FAILPOINTS', 'txnlog.fsync=EIO');
    vi.resetModules();
    try {
      const failing = (await import('./persistence.js')).Persistence;
      const { persistence, write, fatal } = open(tmp(), failing);
      write(EPOCH1.slice(0, 2));
      const err = await persistence.flushed().then(() => null, (e: unknown) => e);
      expect((err as Error).name).toBe('StorageError');
      expect((err as Error).message).toMatch(/txn log in .* failed: EIO/);
      expect(fatal).toEqual([err]);
      await expect(persistence.truncateAfter(zx(1, 1))).rejects.toBe(err);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('snapshotNow() waits for a background snapshot, then writes the tree as it is and resolves with its zxid', async () => {
    const dir = tmp();
    const { persistence, live, write } = open(dir, Persistence, 4);
    write(EPOCH1);
    expect(await persistence.snapshotNow()).toBe(zx(1, 5));
    // The background one (triggered by snapCount at the second or third txn) and ours.
    expect(persistence.snapshots).toBe(2);
    expect(readdirSync(dir).filter((n) => n.startsWith('snapshot.')).at(-1)).toBe('snapshot.100000005');
    await persistence.close();
    expect(dump(recoverFrom(dir).tree)).toBe(dump(live.tree));
  });

  it('snapshotNow() does not wait for txns the log never got (a learner applying a SNAP or TRUNC sync)', async () => {
    const dir = tmp();
    const { persistence, live } = open(dir);
    for (const t of EPOCH1) applyTxn(live, t);
    expect(await within(persistence.snapshotNow())).toBe(zx(1, 5));
    await persistence.close();
    expect(recoverFrom(dir)).toMatchObject({ snapshotZxid: zx(1, 5), lastZxid: zx(1, 5) });
  });

  it('truncateAfter() cuts the log back and appends go on after it, into a new epoch', async () => {
    const dir = tmp();
    const { persistence, write } = open(dir);
    write(EPOCH1);
    await persistence.truncateAfter(zx(1, 3));
    expect(persistence.durableZxid).toBe(zx(1, 3));
    expect(() => persistence.append(EPOCH1[3]!)).not.toThrow();
    const next = createsAt([zx(2, 1), zx(2, 2)]);
    persistence.append(next[0]!);
    persistence.append(next[1]!);
    expect(await persistence.flushed()).toBe(zx(2, 2));
    await persistence.close();
    const got = recoverFrom(dir);
    expect(got).toMatchObject({ lastZxid: zx(2, 2), replayed: 6 });
  });

  it('refuses an append that does not grow the zxid, and appends, snapshots, rewrites and purges while a truncation runs', async () => {
    const { persistence, write } = open(tmp());
    write(EPOCH1);
    expect(() => persistence.append(EPOCH1[4]!)).toThrow(/txn 0x100000005 appended after 0x100000005: zxids must grow/);
    const truncating = persistence.truncateAfter(zx(1, 2));
    expect(() => persistence.append(createsAt([zx(2, 1)])[0]!)).toThrow(/appended while truncation to 0x100000002 rewrites the log/);
    await expect(persistence.snapshotNow()).rejects.toThrow(/snapshot asked for while truncation to 0x100000002 rewrites the files/);
    await expect(persistence.truncateAfter(zx(1, 1))).rejects.toThrow(/truncation to 0x100000001 asked for while truncation to 0x100000002 runs/);
    expect(persistence.purgeNow()).toEqual([]);
    await truncating;
    expect(() => persistence.append(EPOCH1[1]!)).toThrow(/zxids must grow/);
    await persistence.close();
  });

  it('truncateAfter() refuses with a TruncateError and changes nothing when the history cannot end there', async () => {
    const dir = tmp();
    const { persistence, write } = open(dir);
    write(EPOCH1);
    await persistence.flushed();
    const before = readdirSync(dir);
    await expect(persistence.truncateAfter(zx(1, 9))).rejects.toThrow(TruncateError);
    await expect(persistence.truncateAfter(-1)).rejects.toThrow(/truncateAfter: zxid -1 is not a whole number/);
    expect(readdirSync(dir)).toEqual(before);
    // Still usable: appends go on after the old end.
    persistence.append(createsAt([zx(1, 6)])[0]!);
    expect(await persistence.flushed()).toBe(zx(1, 6));
    await persistence.close();
    expect(recoverFrom(dir).lastZxid).toBe(zx(1, 6));
  });

  it('replaceAll() makes the given state the whole history, attaches it and appends go on after its zxid', async () => {
    const dir = tmp();
    const { persistence, write } = open(dir, Persistence, 3);
    write(EPOCH1);
    await persistence.snapshotNow();
    const leader = stateAfter(createsAt([1, 2, 3, 4, 5, 6, 7].map((c) => zx(1, c))));
    await persistence.replaceAll(leader.tree, leader.sessions, zx(1, 7));
    expect(readdirSync(dir)).toEqual(['snapshot.100000007']);
    const next = createsAt([zx(2, 1)])[0]!;
    persistence.append(next);
    applyTxn(leader, next);
    expect(await persistence.flushed()).toBe(zx(2, 1));
    // Snapshots are now of the attached tree.
    expect(await persistence.snapshotNow()).toBe(zx(2, 1));
    await persistence.close();
    const got = recoverFrom(dir);
    expect(got).toMatchObject({ snapshotZxid: zx(2, 1), lastZxid: zx(2, 1) });
    expect(dump(got.tree)).toBe(dump(leader.tree));
  });
});
