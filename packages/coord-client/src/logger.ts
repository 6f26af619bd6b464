/** One log call in pino's shape: structured fields first, then the message. */
export type LogFn = (fields: Record<string, unknown>, msg?: string) => void;

/** The subset of a pino logger the client uses; a pino instance (or child) fits as is. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};

/** The default: the client is quiet unless the caller injects a logger. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** Session ids as ZooKeeper logs them: unsigned hex. */
export function hexId(id: bigint): string {
  return `0x${BigInt.asUintN(64, id).toString(16)}`;
}
