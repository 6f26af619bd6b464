import { pino, type Logger } from 'pino';

export type { Logger };

/** The root logger: level from PADDOCK_LOG_LEVEL (tests set it to silent), default info. */
export function createLogger(level = process.env.PADDOCK_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'coord-server', level });
}
