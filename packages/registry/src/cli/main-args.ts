import { usageError } from './cli-error.js';

const DEFAULT_SERVER = '127.0.0.1:2181';
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 0x7fffffff;

export interface MainArgs {
  /** Connect string, `host:port[,host:port...][/chroot]`. */
  readonly server: string;
  /** Session timeout, and how long to wait for the first connection, in ms. */
  readonly timeoutMs: number;
  /** Parent of the service nodes (the registry's `root` option). */
  readonly root: string;
  readonly help: boolean;
  /** The command's words and arguments. */
  readonly command: readonly string[];
}

/**
 * Options come before the command (so a value such as `-1` after it is an argument):
 * `--server` (also zkCli's `-server`), `--timeout`, `--root`, `--help`.
 */
export function parseMainArgs(argv: readonly string[]): MainArgs {
  let server = DEFAULT_SERVER;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let root = '/services';
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--server' || word === '-server' || word === '--timeout' || word === '--root') {
      const value = argv[++i];
      if (value === undefined || value === '') throw usageError(`option ${word} needs a value`);
      if (word === '--timeout') timeoutMs = parseTimeout(value);
      else if (word === '--root') root = value;
      else server = value;
    } else if (word === '-h' || word === '--help' || word === 'help') {
      help = true;
    } else if (word.startsWith('-')) {
      throw usageError(`unknown option ${word}`);
    } else {
      return { server, timeoutMs, root, help, command: argv.slice(i) };
    }
  }
  return { server, timeoutMs, root, help, command: [] };
}

function parseTimeout(text: string): number {
  const ms = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) {
    throw usageError(`--timeout expects milliseconds in 1..${MAX_TIMEOUT_MS}, got "${text}"`);
  }
  return ms;
}
