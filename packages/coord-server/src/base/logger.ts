import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyLine } from './pretty-log.js';
import { RotatingFile, type RotationOptions } from './rotating-file.js';

export type { Logger };

export type LogFormat = 'pretty' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

/** Where the server's log goes and how it looks (--log-format, --log-file and zoo.cfg). */
export interface LogOutput {
  /** Default: pretty when stdout is a terminal, json otherwise (and json into a file). */
  readonly format?: LogFormat;
  /** A file, rolled by size, instead of stdout. */
  readonly file?: { readonly path: string } & RotationOptions;
}

/** ZooKeeper 3.8's logback defaults for its rolling zookeeper.log. */
export const DEFAULT_ROTATION: RotationOptions = { maxSize: 256 * 1024 * 1024, maxFiles: 20 };

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

/** The format asked for, else pretty for a person at a terminal and json for a pipe or a file. */
export function logFormat(o: LogOutput, stdoutIsTTY: boolean): LogFormat {
  return o.format ?? (!o.file && stdoutIsTTY ? 'pretty' : 'json');
}

function destination(o: LogOutput): DestinationStream {
  const base = o.file ? new RotatingFile(o.file.path, o.file) : stdoutDestination();
  if (logFormat(o, process.stdout.isTTY === true) === 'json') return base;
  return { write: (line: string) => base.write(prettyLine(line)) };
}

/**
 * The root logger: level from PADDOCK_LOG_LEVEL (tests set it to silent), default info; pino
 * JSON lines or, for a person at a terminal, pretty ones (see LogOutput).
 */
export function createLogger(level = process.env.PADDOCK_LOG_LEVEL ?? 'info', output: LogOutput = {}): Logger {
  return pino({ name: 'coord-server', level }, destination(output));
}
