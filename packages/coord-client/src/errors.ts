import { Code, KeeperError } from '@paddock/coord-protocol';

/**
 * A KeeperError whose message also says why, for failures the client detects itself (bad
 * arguments, a full queue, an unreachable ensemble). The code stays ZooKeeper's, so callers
 * branch on `err.code` exactly as for errors the server sent.
 */
export function keeperError(code: number, path: string | undefined, reason: string): KeeperError {
  const err = new KeeperError(code, path);
  err.message = `${err.message}: ${reason}`;
  return err;
}

/** Invalid input rejected before anything is sent (ZooKeeper's IllegalArgumentException). */
export function badArguments(reason: string, path?: string): KeeperError {
  return keeperError(Code.BadArguments, path, reason);
}

/** One failed op inside a multi: ZooKeeper's OpResult.ErrorResult. */
export interface ErrorResult {
  readonly type: 'error';
  readonly err: number;
}

/**
 * A multi that the server rolled back. Like ZooKeeper's KeeperException for multi, the code is
 * that of the first failing op and `results` holds one entry per op: OK (0) for the ops before
 * it, its code, then RuntimeInconsistency for the ops after it.
 */
export class MultiError<R = unknown> extends KeeperError {
  constructor(
    code: number,
    path: string | undefined,
    /** Index of the first failing op in the submitted list. */
    readonly failedOp: number,
    readonly results: readonly (R | ErrorResult)[],
  ) {
    super(code, path);
  }
}
