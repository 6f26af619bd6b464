import { Code, KeeperError } from '@paddock/coord-client';
import { OptionError } from '@paddock/edges';
import { ConfigValueError, RegistryError } from '@paddock/registry';

/** An API outcome with its HTTP status and a stable code the page can branch on. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** ZooKeeper outcomes as HTTP statuses; anything else from the server is a 502. */
const KEEPER_STATUS = new Map<number, number>([
  [Code.NoNode, 404],
  [Code.NodeExists, 409],
  [Code.BadVersion, 409],
  [Code.NotEmpty, 409],
  [Code.NoChildrenForEphemerals, 409],
  [Code.NoAuth, 403],
  [Code.AuthFailed, 403],
  [Code.BadArguments, 400],
  [Code.InvalidACL, 400],
  [Code.ConnectionLoss, 503],
  [Code.SessionExpired, 503],
  [Code.OperationTimeout, 503],
]);

/** Registry codes that mean the caller sent something wrong. */
const REGISTRY_STATUS = new Map<string, number>([
  ['TIMEOUT', 503],
  ['CLOSED', 503],
  ['CONNECT_FAILED', 503],
]);

/** Maps any failure to the status, code and message the API answers with. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof KeeperError) return new HttpError(KEEPER_STATUS.get(err.code) ?? 502, err.codeName, err.message);
  if (err instanceof RegistryError) return new HttpError(REGISTRY_STATUS.get(err.code) ?? 400, err.code, err.message);
  if (err instanceof ConfigValueError || err instanceof OptionError || err instanceof TypeError || err instanceof RangeError) {
    return new HttpError(400, 'BAD_REQUEST', (err as Error).message);
  }
  return new HttpError(500, 'INTERNAL', err instanceof Error ? err.message : String(err));
}
