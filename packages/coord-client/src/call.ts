import { Code, JuteError, KeeperError, type JuteReader, type JuteWriter } from '@paddock/coord-protocol';
import { keeperError } from './errors.js';
import type { Request } from './request-queue.js';

/** One call as the public API hands it down: what to send and how to read the reply. */
export interface Call<T> {
  readonly op: number;
  /** The caller's (chroot-relative) path, named in errors. */
  readonly path?: string;
  /** Writes the request body; null for ops without one. */
  readonly write: ((w: JuteWriter) => void) | null;
  /**
   * Turns the reply's error code and body into the result, or throws a KeeperError. Runs
   * before the promise settles, so watch (de)registration happens before the caller resumes.
   * Also runs with body null when the call fails locally (ConnectionLoss, SessionExpired),
   * as ZooKeeper's finishPacket does, so local watch removal can still succeed.
   */
  readonly settle: (err: number, body: JuteReader | null) => T;
}

/** Anything a settle step throws, as the KeeperError the caller gets. */
export function asKeeperError(err: unknown, path: string | undefined): KeeperError {
  if (err instanceof KeeperError) return err;
  if (err instanceof JuteError) return keeperError(Code.MarshallingError, path, err.message);
  return keeperError(Code.SystemError, path, err instanceof Error ? err.message : String(err));
}

/** A caller's request in the queue, settling its promise from the reply. */
export class PendingCall<T> implements Request {
  readonly counted = true;

  constructor(
    readonly xid: number,
    readonly op: number,
    readonly frame: Buffer,
    private readonly call: Call<T>,
    private readonly resolve: (value: T) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  finish(err: number, body: JuteReader | null): void {
    let value: T;
    try {
      value = this.call.settle(err, body);
    } catch (e) {
      this.reject(asKeeperError(e, this.call.path));
      return;
    }
    this.resolve(value);
  }
}
