import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, StorageError, describeErrno } from '../../persistence/data-dir.js';
import { MAX_EPOCH, epochOf } from '../zxid.js';

/**
 * ZooKeeper keeps its epochs in its snapshot folder, `<dataDir>/version-2`, as two files of
 * decimal text with no newline: `currentEpoch` (the epoch of the leader this server last
 * synced with) and `acceptedEpoch` (the newest epoch it agreed to in a NEWLEADER/LEADERINFO).
 * We keep them in the same place and form, so an operator finds them where ZooKeeper's
 * documentation says.
 */
const EPOCH_DIR = 'version-2';
export const CURRENT_EPOCH = 'currentEpoch';
export const ACCEPTED_EPOCH = 'acceptedEpoch';
type EpochFile = typeof CURRENT_EPOCH | typeof ACCEPTED_EPOCH;
/**
 * Present from the start of a learner's NEWLEADER snapshot until its currentEpoch is written:
 * the snapshot may hold the new epoch's txns before the file says that epoch (the name and rule
 * of ZooKeeper's later releases, QuorumPeer.UPDATING_EPOCH_FILENAME).
 */
const UPDATING_EPOCH = 'updatingEpoch';
/** ZooKeeper's AtomicFileOutputStream writes `<name>.tmp` and renames it over `<name>`. */
const TMP = '.tmp';
/** An epoch file holds at most 20 digits; anything much longer is not one. */
const MAX_FILE_BYTES = 64;

const pathOf = (dataDir: string, name: string): string => join(dataDir, EPOCH_DIR, name);

/**
 * Reads an epoch file as ZooKeeper does (its first line, a decimal number); undefined when the
 * file does not exist. A file that holds anything else is a StorageError naming it.
 */
export function readEpochFile(dataDir: string, name: EpochFile | `${EpochFile}${typeof TMP}`): number | undefined {
  const path = pathOf(dataDir, name);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StorageError(`cannot read ${path}: ${describeErrno(err)}`, ExitCode.unexpectedError, { cause: err });
  }
  const line = bytes.subarray(0, MAX_FILE_BYTES).toString('latin1').split(/\r\n|\r|\n/)[0]!;
  if (bytes.length > MAX_FILE_BYTES || !/^\d{1,16}$/.test(line) || Number(line) > MAX_EPOCH) {
    const shown = JSON.stringify(line.slice(0, 32));
    throw new StorageError(`${path} holds ${shown}, not an epoch (a decimal number from 0 to ${MAX_EPOCH})`, ExitCode.unexpectedError);
  }
  return Number(line);
}

/**
 * Writes an epoch file the way ZooKeeper's AtomicFileOutputStream does: the text into
 * `<name>.tmp`, fsync, rename over `<name>`; then, beyond what ZooKeeper does, an fsync of the
 * folder so the rename itself survives a power cut. A crash leaves the old file or the new one,
 * never half of one. A failure is a StorageError naming the file.
 */
export function writeEpochFile(dataDir: string, name: EpochFile, epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) throw new RangeError(`${name}: epoch ${epoch} is outside 0..${MAX_EPOCH}`);
  const dir = join(dataDir, EPOCH_DIR);
  const path = pathOf(dataDir, name);
  const tmp = path + TMP;
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, String(epoch));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself is what failed: there is no temp file to clean up.
    }
    throw new StorageError(`cannot write ${path}: ${describeErrno(err)}`, ExitCode.storageFailure, { cause: err });
  }
}

/** Marks (or, after the currentEpoch file is written, unmarks) a NEWLEADER snapshot in progress; durable either way. */
export function markUpdatingEpoch(dataDir: string, updating: boolean): void {
  const path = pathOf(dataDir, UPDATING_EPOCH);
  // Every currentEpoch write unmarks: nearly always there is no marker, and no folder to sync.
  if (!updating && !existsSync(path)) return;
  try {
    if (updating) {
      mkdirSync(join(dataDir, EPOCH_DIR), { recursive: true });
      closeSync(openSync(path, 'w'));
    } else {
      rmSync(path, { force: true });
    }
    const dirFd = openSync(join(dataDir, EPOCH_DIR), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch (err) {
    throw new StorageError(`cannot ${updating ? 'create' : 'remove'} ${path}: ${describeErrno(err)}`, ExitCode.storageFailure, { cause: err });
  }
}

export interface Epochs {
  readonly currentEpoch: number;
  readonly acceptedEpoch: number;
}

/**
 * The epochs at startup, as ZooKeeper's QuorumPeer.loadDataBase settles them against the last
 * zxid the data tree holds: a missing file is created with that zxid's epoch (a server that
 * never ran in an ensemble); a currentEpoch older than that zxid's epoch is taken from
 * `currentEpoch.tmp` when a crash left one mid-write, or is that zxid's epoch when a learner
 * stopped between its NEWLEADER snapshot and the currentEpoch file (`updatingEpoch` marks
 * that), and is otherwise an error, as is an acceptedEpoch below currentEpoch.
 */
export function loadEpochs(dataDir: string, lastProcessedZxid: number): Epochs {
  const zxidEpoch = epochOf(lastProcessedZxid);
  let current = readEpochFile(dataDir, CURRENT_EPOCH);
  if (current === undefined) {
    current = zxidEpoch;
    writeEpochFile(dataDir, CURRENT_EPOCH, current);
  }
  const updating = existsSync(pathOf(dataDir, UPDATING_EPOCH));
  if (zxidEpoch > current && updating) {
    // The server stopped after its NEWLEADER snapshot, before the currentEpoch file: the
    // snapshot is of the new epoch's leader, so that epoch is the current one.
    current = zxidEpoch;
    writeEpochFile(dataDir, CURRENT_EPOCH, current);
  }
  if (updating) markUpdatingEpoch(dataDir, false);
  if (zxidEpoch > current) {
    const tmp = readEpochFile(dataDir, `${CURRENT_EPOCH}${TMP}`);
    if (tmp === undefined) {
      throw new StorageError(
        `${pathOf(dataDir, CURRENT_EPOCH)}: the current epoch, ${current}, is older than the last zxid, 0x${lastProcessedZxid.toString(16)} (epoch ${zxidEpoch})`,
        ExitCode.unexpectedError,
      );
    }
    current = tmp;
    writeEpochFile(dataDir, CURRENT_EPOCH, current);
  }
  let accepted = readEpochFile(dataDir, ACCEPTED_EPOCH);
  if (accepted === undefined) {
    accepted = zxidEpoch;
    writeEpochFile(dataDir, ACCEPTED_EPOCH, accepted);
  }
  if (accepted < current) {
    throw new StorageError(
      `${pathOf(dataDir, ACCEPTED_EPOCH)}: the accepted epoch, ${accepted}, is less than the current epoch, ${current}`,
      ExitCode.unexpectedError,
    );
  }
  return { currentEpoch: current, acceptedEpoch: accepted };
}
