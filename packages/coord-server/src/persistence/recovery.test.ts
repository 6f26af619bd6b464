import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createsAt, creates, recoverFrom, stateAfter, writeLog, zx } from './testing/txn-history.js';
import { writeSnapshot } from './snapshot.js';
import { LOG_PREFIX, listZxidFiles } from './files.js';
import { RecoveryError } from './recovery.js';
import { RECORD_HEADER } from './txn-codec.js';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'paddock-recover-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const COUNT = 40;

/** A log of COUNT creates; returns its file and where each record starts. */
async function logOf(count = COUNT): Promise<{ dir: string; file: string; starts: number[] }> {
  const dir = tmp();
  await writeLog(dir, creates(count));
  const file = join(dir, listZxidFiles(dir, LOG_PREFIX)[0]!.name);
  const buf = readFileSync(file);
  const starts: number[] = [];
  for (let off = 0; off < buf.length; off += RECORD_HEADER + buf.readInt32BE(off)) starts.push(off);
  return { dir, file, starts };
}

function flip(file: string, byte: number, bit: number): Buffer {
  const bytes = readFileSync(file);
  bytes[byte]! ^= 1 << bit;
  writeFileSync(file, bytes);
  return bytes;
}

/** Recovery refuses, and leaves the file byte for byte as it found it. */
function expectRefusal(dir: string, file: string, message: RegExp): void {
  const before = readFileSync(file);
  let err: unknown;
  try {
    recoverFrom(dir);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(RecoveryError);
  expect((err as Error).message).toMatch(message);
  expect(readFileSync(file).equals(before), 'the log is untouched').toBe(true);
}

describe('a damaged record in the newest log', () => {
  it('in the middle refuses to start, naming file, byte and the records a cut would lose', async () => {
    const { dir, file, starts } = await logOf();
    const at = starts[13]!;
    flip(file, at + RECORD_HEADER + 20, 3);
    expectRefusal(dir, file, new RegExp(
      `txn log .*log\\.1 is damaged at byte ${at} \\(checksum mismatch, and valid records follow it\\)\\. `
      + `26 valid records follow it \\(zxids 0xf\\.\\.0x28\\), acknowledged writes a cut would lose\\. `
      + `Nothing was changed; to go on, restore the data directory from a backup, or accept losing everything `
      + `from that byte on with \`truncate -s ${at} .*log\\.1\` and start again\\.`,
    ));
  });

  it('with a length that now runs past the file still sees the records after it', async () => {
    const { dir, file, starts } = await logOf();
    flip(file, starts[5]!, 6);
    expectRefusal(dir, file, /damaged at byte \d+ \(length \d+ runs past the file, and valid records follow it\)\. 34 valid records/);
  });

  it('last, whole but failing its checksum, is damage (it was acknowledged), not a torn write', async () => {
    const { dir, file, starts } = await logOf();
    flip(file, starts.at(-1)! + RECORD_HEADER + 4, 0);
    expectRefusal(dir, file, /checksum mismatch in a complete record: it was written whole, so this is damage, not a torn write/);
  });

  it('last, with a length that one bit makes whole again, is damage', async () => {
    const { dir, file, starts } = await logOf();
    flip(file, starts.at(-1)! + 2, 1);
    expectRefusal(dir, file, /its length field is damaged: with one bit changed it is a complete, valid record/);
  });

  it('cut short by a crash is cut off, durably, and everything before it is kept', async () => {
    const { dir, file, starts } = await logOf();
    truncateSync(file, starts.at(-1)! + 11);
    const got = recoverFrom(dir);
    expect(got).toMatchObject({ lastZxid: COUNT - 1, replayed: COUNT - 1 });
    expect(got.truncated).toMatch(/the file ends inside the record/);
    expect(readFileSync(file).length).toBe(starts.at(-1));
  });

  it('cut inside a record header is cut off too', async () => {
    const { dir, file, starts } = await logOf();
    truncateSync(file, starts.at(-1)! + 7);
    expect(recoverFrom(dir)).toMatchObject({ lastZxid: COUNT - 1, truncated: expect.stringMatching(/inside a record header/) });
  });

  it('followed by never-written zero space ends the log there', async () => {
    const { dir, file } = await logOf();
    appendFileSync(file, Buffer.alloc(4096));
    expect(recoverFrom(dir)).toMatchObject({ lastZxid: COUNT, truncated: expect.stringMatching(/zero/) });
  });

  it('a zero length followed by data is damage', async () => {
    const { dir, file, starts } = await logOf();
    const bytes = readFileSync(file);
    bytes.fill(0, starts[30]!, starts[31]!);
    writeFileSync(file, bytes);
    expectRefusal(dir, file, /damaged at byte \d+ \(end of log, and valid records follow it\)\. 9 valid records/);
  });

  /**
   * The acceptance sweep at unit scale: every bit of every byte of the newest log. CRC32 sees
   * every one-bit error and a one-bit error is never a torn write, so each recovery refuses and
   * leaves the file as it found it; none starts with fewer records.
   */
  it('any one flipped bit anywhere refuses to start and changes nothing', async () => {
    const { dir, file } = await logOf(4);
    const pristine = readFileSync(file);
    for (let byte = 0; byte < pristine.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        writeFileSync(file, pristine);
        const damaged = flip(file, byte, bit);
        expect(() => recoverFrom(dir), `byte ${byte} bit ${bit}`).toThrow(RecoveryError);
        expect(readFileSync(file).equals(damaged), `byte ${byte} bit ${bit}: file untouched`).toBe(true);
      }
    }
  });
});

describe('a hole in the history', () => {
  it('a missing log file between two others refuses to start', async () => {
    const dir = tmp();
    await writeLog(dir, creates(10));
    const first = listZxidFiles(dir, LOG_PREFIX)[0]!.name;
    const sub = tmp();
    await writeLog(sub, creates(10, 21));
    writeFileSync(join(dir, `${LOG_PREFIX}15`), readFileSync(join(sub, listZxidFiles(sub, LOG_PREFIX)[0]!.name)));
    expect(() => recoverFrom(dir)).toThrow(/log\.15 jumps from zxid 0xa to 0x15 at byte \d+: the txns between are missing/);
    expect(listZxidFiles(dir, LOG_PREFIX).map((f) => f.name)).toEqual([first, `${LOG_PREFIX}15`]);
  });

  it('a log that does not start at the first txn, with no snapshot before it, refuses to start', async () => {
    const dir = tmp();
    await writeLog(dir, creates(10, 5));
    expect(() => recoverFrom(dir)).toThrow(/jumps from zxid 0x0 to 0x5/);
  });

  it('a new epoch starting at counter 1 is history going on, from the log and from a snapshot', async () => {
    const dir = tmp();
    const zxids = [zx(1, 1), zx(1, 2), zx(1, 3), zx(2, 1), zx(2, 2), zx(5, 1)];
    await writeLog(dir, createsAt(zxids.slice(0, 4)));
    await writeLog(dir, createsAt(zxids).slice(4));
    expect(recoverFrom(dir)).toMatchObject({ lastZxid: zx(5, 1), replayed: 6 });
    // From a snapshot at the end of epoch 1: the next record is epoch 2's first.
    const live = stateAfter(createsAt(zxids).slice(0, 3));
    await writeSnapshot(dir, zx(1, 3), live.tree, live.sessions);
    expect(recoverFrom(dir)).toMatchObject({ snapshotZxid: zx(1, 3), lastZxid: zx(5, 1), replayed: 3 });
  });

  it('a log that starts at counter 1 of a later epoch, with nothing before it, starts', async () => {
    const dir = tmp();
    await writeLog(dir, createsAt([zx(3, 1), zx(3, 2)]));
    expect(recoverFrom(dir)).toMatchObject({ lastZxid: zx(3, 2), replayed: 2 });
  });

  it('a jump into a later epoch past its counter 1 is a hole, as one inside an epoch is', async () => {
    const dir = tmp();
    await writeLog(dir, createsAt([zx(1, 1), zx(1, 2), zx(2, 4)]));
    expect(() => recoverFrom(dir)).toThrow(/jumps from zxid 0x100000002 to 0x200000004 at byte \d+: the txns between are missing/);
    const fromNothing = tmp();
    await writeLog(fromNothing, createsAt([zx(2, 2)]));
    expect(() => recoverFrom(fromNothing)).toThrow(/jumps from zxid 0x0 to 0x200000002/);
    const inside = tmp();
    await writeLog(inside, createsAt([zx(1, 1), zx(1, 2), zx(1, 4)]));
    expect(() => recoverFrom(inside)).toThrow(/jumps from zxid 0x100000002 to 0x100000004/);
  });

  it('an empty data directory starts empty', () => {
    const dir = tmp();
    expect(recoverFrom(dir)).toMatchObject({ lastZxid: 0, replayed: 0 });
  });
});
