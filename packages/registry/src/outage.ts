import { Code, KeeperError } from '@paddock/coord-client';

/** How the registry sorts the client's failures: a code it expects, or an outage it rides out. */
export function hasCode(err: unknown, code: number): boolean {
  return err instanceof KeeperError && err.code === code;
}

/**
 * The connection or the session went away: the operation is redone when a session is back, and
 * lists read before stay in use.
 */
export function isOutage(err: unknown): boolean {
  return err instanceof KeeperError
    && (err.code === Code.ConnectionLoss || err.code === Code.SessionExpired || err.code === Code.OperationTimeout);
}
