import { appendFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logFileName } from './files.js';
import { loggedBetween, newestSnapshotBytes } from './log-history.js';
import { createsAt, layOut, zx } from './testing/txn-history.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'paddock-log-history-'));
  dirs.push(d);
  return d;
};
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** Epoch 1 counters 1..4 in one file, epoch 2 counters 1..4 in another. */
const E1 = createsAt([1, 2, 3, 4].map((c) => zx(1, c)));
const E2 = createsAt([1, 2, 3, 4].map((c) => zx(2, c)));
const zxids = (txns: { zxid: number }[] | null): number[] | null => txns?.map((t) => t.zxid) ?? null;

describe('loggedBetween: older history read back from the txn log for a learner', () => {
  it('reads from the last txn at or before `from` up to `before`, across files and epochs', async () => {
    const dir = tmp();
    await layOut(dir, [E1, E2], []);
    expect(zxids(loggedBetween(dir, zx(1, 2), zx(2, 3), 0))).toEqual([zx(1, 2), zx(1, 3), zx(1, 4), zx(2, 1), zx(2, 2)]);
    // A learner with a txn the log does not have (zx(1, 9)): the read starts at the last one before it.
    expect(zxids(loggedBetween(dir, zx(1, 9), zx(2, 2), 0))).toEqual([zx(1, 4), zx(2, 1)]);
    expect(zxids(loggedBetween(dir, zx(2, 4), zx(3, 1), 0))).toEqual([zx(2, 4)]);
  });

  it('is null when the files no longer reach back to `from` (purged)', async () => {
    const dir = tmp();
    await layOut(dir, [E1, E2], []);
    unlinkSync(join(dir, logFileName(zx(1, 1))));
    expect(loggedBetween(dir, zx(1, 2), zx(2, 3), 0)).toBeNull();
  });

  it('is null when the log files to read pass the byte bound; 0 is no bound', async () => {
    const dir = tmp();
    await layOut(dir, [E1, E2], []);
    expect(loggedBetween(dir, zx(1, 2), zx(2, 3), 10)).toBeNull();
    expect(loggedBetween(dir, zx(1, 2), zx(2, 3), 1 << 20)).not.toBeNull();
  });

  it('is null across a hole in the zxids, and stops at a torn tail with what it read', async () => {
    const holed = tmp();
    await layOut(holed, [E1.filter((t) => t.zxid !== zx(1, 3))], []);
    expect(loggedBetween(holed, zx(1, 1), zx(2, 1), 0)).toBeNull();
    const torn = tmp();
    await layOut(torn, [E1], []);
    appendFileSync(join(torn, logFileName(zx(1, 1))), Buffer.from([0, 0, 0, 9, 1, 2]));
    expect(zxids(loggedBetween(torn, zx(1, 1), zx(2, 1), 0))).toEqual(E1.map((t) => t.zxid));
  });

  it('measures the newest snapshot, 0 without one', async () => {
    const dir = tmp();
    expect(newestSnapshotBytes(dir)).toBe(0);
    await layOut(dir, [E1], [zx(1, 2), zx(1, 4)]);
    expect(newestSnapshotBytes(dir)).toBeGreaterThan(0);
  });
});
