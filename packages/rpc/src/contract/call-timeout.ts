import { OptionError } from '@paddock/edges';

/** Longest call timeout: what a timer can wait (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMEOUT = 0x7fffffff;

/**
 * A `timeout` option (of @Method, refer or the client): an integer number of ms. `where`
 * prefixes the message (`refer(Greeter): timeout must be ...`).
 */
export function checkTimeout(value: unknown, where?: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_TIMEOUT) return value;
  const message = `${where === undefined ? '' : `${where}: `}timeout must be an integer number of ms in 1..${MAX_TIMEOUT}, got ${String(value)}`;
  throw new OptionError('timeout', value, { message });
}
