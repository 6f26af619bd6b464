import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../persistence/data-dir.js';
import { makeZxid } from '../zxid.js';
import { ACCEPTED_EPOCH, CURRENT_EPOCH, loadEpochs, markUpdatingEpoch, readEpochFile, writeEpochFile } from './epoch-files.js';

describe('epoch files', () => {
  const root = mkdtempSync(join(tmpdir(), 'paddock-epochs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  const fresh = (): string => join(root, String(n++));
  const file = (dir: string, name: string): string => join(dir, 'version-2', name);

  it('writes decimal text with no newline in dataDir/version-2, as ZooKeeper does, and reads it back', () => {
    const dir = fresh();
    writeEpochFile(dir, CURRENT_EPOCH, 1);
    writeEpochFile(dir, ACCEPTED_EPOCH, 2_000_000);
    // A real ZooKeeper 3.8.0 follower after its first election: both files hold the one byte "1".
    expect(readFileSync(file(dir, CURRENT_EPOCH), 'latin1')).toBe('1');
    expect(readFileSync(file(dir, ACCEPTED_EPOCH), 'latin1')).toBe('2000000');
    expect(readEpochFile(dir, CURRENT_EPOCH)).toBe(1);
    expect(readEpochFile(dir, ACCEPTED_EPOCH)).toBe(2_000_000);
    expect(existsSync(file(dir, `${CURRENT_EPOCH}.tmp`))).toBe(false);
    writeEpochFile(dir, CURRENT_EPOCH, 7);
    expect(readEpochFile(dir, CURRENT_EPOCH)).toBe(7);
  });

  it('reads a file ZooKeeper would read: a newline after the number is fine', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'version-2'), { recursive: true });
    writeFileSync(file(dir, CURRENT_EPOCH), '12\n');
    expect(readEpochFile(dir, CURRENT_EPOCH)).toBe(12);
    expect(readEpochFile(dir, ACCEPTED_EPOCH)).toBeUndefined();
  });

  it.each([['', '""'], ['abc', '"abc"'], [' 5', '" 5"'], ['-1', '"-1"'], ['4294967296', '"4294967296"'], ['1'.repeat(100), 'not an epoch']])(
    'names the file and the content when it holds %j', (content, shown) => {
      const dir = fresh();
      mkdirSync(join(dir, 'version-2'), { recursive: true });
      writeFileSync(file(dir, ACCEPTED_EPOCH), content);
      expect(() => readEpochFile(dir, ACCEPTED_EPOCH)).toThrow(StorageError);
      expect(() => readEpochFile(dir, ACCEPTED_EPOCH)).toThrow(`${file(dir, ACCEPTED_EPOCH)} holds`);
      expect(() => readEpochFile(dir, ACCEPTED_EPOCH)).toThrow(shown);
    });

  it('refuses to write an epoch out of range and names a folder it cannot write', () => {
    expect(() => writeEpochFile(fresh(), CURRENT_EPOCH, -1)).toThrow('currentEpoch: epoch -1 is outside');
    const blocked = fresh();
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'version-2'), 'a file where the folder should be');
    expect(() => writeEpochFile(blocked, CURRENT_EPOCH, 1)).toThrow(`cannot write ${file(blocked, CURRENT_EPOCH)}`);
  });

  it('creates missing files from the last zxid\'s epoch at startup, as QuorumPeer.loadDataBase does', () => {
    const dir = fresh();
    expect(loadEpochs(dir, makeZxid(3, 17))).toEqual({ currentEpoch: 3, acceptedEpoch: 3 });
    expect(readFileSync(file(dir, CURRENT_EPOCH), 'latin1')).toBe('3');
    expect(readFileSync(file(dir, ACCEPTED_EPOCH), 'latin1')).toBe('3');
    writeEpochFile(dir, ACCEPTED_EPOCH, 5);
    expect(loadEpochs(dir, makeZxid(3, 20))).toEqual({ currentEpoch: 3, acceptedEpoch: 5 });
  });

  it('takes currentEpoch.tmp when the current epoch is older than the last zxid (a crash mid-write), else refuses', () => {
    const dir = fresh();
    writeEpochFile(dir, CURRENT_EPOCH, 2);
    writeEpochFile(dir, ACCEPTED_EPOCH, 4);
    expect(() => loadEpochs(dir, makeZxid(4, 1))).toThrow(`${file(dir, CURRENT_EPOCH)}: the current epoch, 2, is older than the last zxid, 0x400000001 (epoch 4)`);
    writeFileSync(file(dir, `${CURRENT_EPOCH}.tmp`), '4');
    expect(loadEpochs(dir, makeZxid(4, 1))).toEqual({ currentEpoch: 4, acceptedEpoch: 4 });
    expect(readEpochFile(dir, CURRENT_EPOCH)).toBe(4);
  });

  it('takes the last zxid\'s epoch when a learner stopped between its NEWLEADER snapshot and the currentEpoch file (updatingEpoch), and drops a stale marker', () => {
    const dir = fresh();
    writeEpochFile(dir, CURRENT_EPOCH, 18);
    writeEpochFile(dir, ACCEPTED_EPOCH, 19);
    markUpdatingEpoch(dir, true);
    expect(loadEpochs(dir, makeZxid(19, 0x271))).toEqual({ currentEpoch: 19, acceptedEpoch: 19 });
    expect(readEpochFile(dir, CURRENT_EPOCH)).toBe(19);
    expect(existsSync(file(dir, 'updatingEpoch'))).toBe(false);
    // The epoch was written, the marker not yet removed: nothing to change but the marker.
    markUpdatingEpoch(dir, true);
    expect(loadEpochs(dir, makeZxid(19, 0x300))).toEqual({ currentEpoch: 19, acceptedEpoch: 19 });
    expect(existsSync(file(dir, 'updatingEpoch'))).toBe(false);
  });

  it('refuses an accepted epoch below the current one', () => {
    const dir = fresh();
    writeEpochFile(dir, CURRENT_EPOCH, 6);
    writeEpochFile(dir, ACCEPTED_EPOCH, 5);
    expect(() => loadEpochs(dir, 0)).toThrow(`${file(dir, ACCEPTED_EPOCH)}: the accepted epoch, 5, is less than the current epoch, 6`);
  });
});
