import { Code, JuteError, KeeperError } from '@paddock/coord-protocol';
import type { Logger } from '../base/logger.js';

/**
 * The code a reply carries for what a request's prep or read threw: a KeeperError is an
 * expected outcome with its own code; a body that does not decode, or a null ZooKeeper would
 * dereference, is MarshallingError; anything else is our bug, logged, and SystemError.
 */
export function errorCode(e: unknown, op: number, logger: Logger): number {
  if (e instanceof KeeperError) return e.code;
  if (e instanceof JuteError || e instanceof RangeError) return Code.MarshallingError;
  logger.error({ err: e, op }, 'request failed unexpectedly');
  return Code.SystemError;
}
