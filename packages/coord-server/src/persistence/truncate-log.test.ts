import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createsAt, dump, layOut, recoverFrom, stateAfter, zx } from './testing/txn-history.js';
import { runSteps } from './files.js';
import { TruncateError, truncationSteps } from './truncate-log.js';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'paddock-trunc-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** Epoch 1 counters 1..6, then epoch 2 counters 1..4. */
const HISTORY = createsAt([...[1, 2, 3, 4, 5, 6].map((c) => zx(1, c)), ...[1, 2, 3, 4].map((c) => zx(2, c))]);
const upTo = (zxid: number) => HISTORY.filter((t) => t.zxid <= zxid);

/**
 * Three log files (1,1..4), (1,5..2,2) and (2,3..4), a snapshot at (1,2) and one at (2,3),
 * past the zxid most tests truncate to.
 */
async function scenario(): Promise<string> {
  const dir = tmp();
  await layOut(dir, [HISTORY.slice(0, 4), HISTORY.slice(4, 8), HISTORY.slice(8)], [zx(1, 2), zx(2, 3)]);
  return dir;
}

/** Every file's name and bytes: to show a refusal changed nothing. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n)).toString('hex')]));
}

/** Recovery yields the history up to its last zxid: a prefix, never a mix. */
function expectPrefix(dir: string): number {
  const got = recoverFrom(dir);
  expect(dump(got.tree)).toBe(dump(stateAfter(upTo(got.lastZxid)).tree));
  return got.lastZxid;
}

describe('truncating the history on disk (ZAB TRUNC)', () => {
  it('cuts inside a log file at a record boundary, removes later files and snapshots past it, and recovery ends there', async () => {
    const dir = await scenario();
    const steps = truncationSteps(dir, dir, zx(2, 1));
    expect(steps.map((s) => s.what)).toEqual([
      'remove snapshot.200000003', 'remove log.200000003', expect.stringMatching(/^cut log\.100000005 at byte \d+$/),
    ]);
    await runSteps(steps);
    expect(readdirSync(dir).sort()).toEqual(['log.100000001', 'log.100000005', 'snapshot.100000002']);
    const got = recoverFrom(dir);
    expect(got).toMatchObject({ snapshotZxid: zx(1, 2), lastZxid: zx(2, 1), truncated: null });
    expect(dump(got.tree)).toBe(dump(stateAfter(upTo(zx(2, 1))).tree));
  });

  it('survives a crash between any two steps: recovery yields the old history up to or past the target, then exactly the target', async () => {
    const target = zx(1, 3);
    const pristine = await scenario();
    const count = truncationSteps(pristine, pristine, target).length;
    expect(count).toBe(4);
    for (let done = 0; done <= count; done++) {
      const dir = tmp();
      cpSync(pristine, dir, { recursive: true });
      const steps = truncationSteps(dir, dir, target);
      for (const step of steps.slice(0, done)) await step.run();
      const last = expectPrefix(dir);
      if (done === count) expect(last).toBe(target);
      else expect(last, `crash after ${done} step(s)`).toBeGreaterThanOrEqual(target);
    }
  });

  it('removes a file whose first record goes whole, and cuts nothing when the target is the last txn', async () => {
    const dir = await scenario();
    await runSteps(truncationSteps(dir, dir, zx(1, 4)));
    expect(readdirSync(dir).sort()).toEqual(['log.100000001', 'snapshot.100000002']);
    expect(recoverFrom(dir).lastZxid).toBe(zx(1, 4));
    expect(truncationSteps(dir, dir, zx(1, 4))).toEqual([]);
  });

  it('falls back past a damaged snapshot to an older one, or to the first txn', async () => {
    const dir = await scenario();
    const snap = join(dir, 'snapshot.100000002');
    const bytes = readFileSync(snap);
    bytes[30]! ^= 1;
    writeFileSync(snap, bytes);
    await runSteps(truncationSteps(dir, dir, zx(1, 3)));
    expect(recoverFrom(dir)).toMatchObject({ snapshotZxid: 0, lastZxid: zx(1, 3) });
    expectPrefix(dir);
  });

  it('to a snapshot zxid with every log record past it: recovery is the snapshot alone', async () => {
    const dir = await scenario();
    rmSync(join(dir, 'log.100000001'));
    await runSteps(truncationSteps(dir, dir, zx(1, 2)));
    expect(readdirSync(dir).sort()).toEqual(['snapshot.100000002']);
    expect(recoverFrom(dir)).toMatchObject({ snapshotZxid: zx(1, 2), lastZxid: zx(1, 2) });
  });

  describe('refuses with a TruncateError and changes nothing', () => {
    const refusals: { name: string; zxid: number; damage?: (dir: string) => void; message: RegExp }[] = [
      { name: 'a zxid the history never had', zxid: zx(1, 7), message: /reaches zxid 0x100000006, not 0x100000007/ },
      { name: 'a zxid past the end', zxid: zx(2, 9), message: /reaches zxid 0x200000004, not 0x200000009/ },
      {
        name: 'a zxid below every snapshot once the logs before it are gone',
        zxid: zx(1, 1), damage: (d) => rmSync(join(d, 'log.100000001')), message: /history from the first txn reaches zxid 0x0, not 0x100000001/,
      },
      {
        name: 'a hole between the snapshot and the zxid',
        zxid: zx(2, 4), damage: (d) => { rmSync(join(d, 'log.100000005')); rmSync(join(d, 'snapshot.200000003')); },
        message: /log\.200000003 jumps from zxid 0x100000004 to 0x200000003/,
      },
      {
        name: 'a record that does not read before the zxid',
        zxid: zx(1, 4), damage: (d) => { const f = join(d, 'log.100000001'); const b = readFileSync(f); b[b.length - 3]! ^= 1; writeFileSync(f, b); },
        message: /log\.100000001 does not read at byte \d+ \(checksum mismatch\), after zxid 0x100000003/,
      },
    ];
    for (const r of refusals) {
      it(r.name, async () => {
        const dir = await scenario();
        r.damage?.(dir);
        const before = contents(dir);
        let err: unknown;
        try {
          truncationSteps(dir, dir, r.zxid);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(TruncateError);
        expect((err as Error).message).toMatch(r.message);
        expect(contents(dir)).toEqual(before);
      });
    }
  });
});
