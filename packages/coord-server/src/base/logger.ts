import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * stdout, written synchronously as pino does by default, except that a stdout nobody reads any
 * more (EPIPE: the parent that piped it is gone) drops the line instead of throwing into the
 * caller. That caller may be the shutdown on SIGTERM, which must still close the server.
 */
function stdoutDestination(): DestinationStream {
  const out = pino.destination({ dest: 1, sync: true });
  out.on('error', () => undefined);
  return {
    write(line: string): void {
      try {
        out.write(line);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
      }
    },
  };
}

/** The root logger: level from PADDOCK_LOG_LEVEL (tests set it to silent), default info. */
export function createLogger(level = process.env.PADDOCK_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'coord-server', level }, stdoutDestination());
}
