/** pino's call shape, so a pino logger (or a child of one) can be passed as is. */
export type LogFn = (fields: Record<string, unknown>, message?: string) => void;

export interface RpcLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};

/** The default: the rpc package logs nothing unless given a logger. */
export const silentLogger: RpcLogger = { debug: noop, info: noop, warn: noop, error: noop };
