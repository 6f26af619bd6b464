/** One log call in pino's shape: structured fields first, then the message. */
export type LogFn = (fields: Record<string, unknown>, msg?: string) => void;

/** What Paddock's packages log through; a pino logger (or child) fits as is. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};

/** The default of every library package: quiet unless the caller passes a logger. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
