import { closeSync, fdatasyncSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Exit statuses of a server that cannot do its job, as ZooKeeper's `ExitCode` numbers them, so
 * a supervisor can tell "fix the disk" from "fix the config".
 */
export const ExitCode = {
  /** A bad command line or config, a damaged log, a data directory another server holds. */
  unexpectedError: 1,
  /** The data directory cannot be created, is not a directory, or cannot be written. */
  unableToAccessDataDir: 3,
  /** The disk failed under the txn log or a snapshot while serving (ENOSPC, EROFS, EIO, EACCES…). */
  storageFailure: 10,
} as const;

/** The server's storage cannot be used: the message is one line naming the path and the cause. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(message: string, readonly exitCode: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/** `EROFS (read-only file system)`: the code an operator searches for, and what it means. */
export function describeErrno(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string') return String((e as Error)?.message ?? err);
  const text = /^[A-Z]+: ([^,]+)/.exec(e.message)?.[1];
  return text ? `${e.code} (${text})` : e.code;
}

/**
 * Creates `dir` and its missing parents one at a time. Node's recursive mkdir spins forever
 * where a parent refuses new entries with ENOENT (under /proc); this walk is bounded by the
 * path's depth and stops at the first refusal.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      statSync(d);
      break;
    } catch {
      missing.push(d);
      if (dirname(d) === d) break;
    }
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

/**
 * Makes sure the server can keep its files in `dir` before the client port opens: the folder
 * exists (created if need be), is a folder, and takes a durable write. `role` names the
 * setting in the message (dataDir, dataLogDir).
 */
export function prepareDataDir(dir: string, role: string): void {
  const path = resolve(dir);
  const fail = (what: string, err: unknown): never => {
    throw new StorageError(`${role} ${path} ${what}: ${describeErrno(err)}`, ExitCode.unableToAccessDataDir, { cause: err });
  };
  try {
    makeDirs(path);
  } catch (err) {
    fail('cannot be created', err);
  }
  if (!statSync(path).isDirectory()) {
    throw new StorageError(`${role} ${path} is not a directory`, ExitCode.unableToAccessDataDir);
  }
  const probe = join(path, `.paddock-probe-${process.pid}`);
  let fd = -1;
  try {
    fd = openSync(probe, 'w');
    writeSync(fd, 'probe');
    fdatasyncSync(fd);
  } catch (err) {
    fail('cannot be written', err);
  } finally {
    if (fd >= 0) closeSync(fd);
    try {
      unlinkSync(probe);
    } catch {
      // Never created: the write failed at open.
    }
  }
}
