import { CliError } from './cli-error.js';

/** zkCli's defaults. */
export const DEFAULT_SERVER = 'localhost:2181';
export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMEOUT_MS = 0x7fffffff;

export interface MainArgs {
  readonly server: string;
  readonly timeoutMs: number;
  readonly readOnly: boolean;
  readonly help: boolean;
  /** The one-shot command and its arguments; empty to start the shell. */
  readonly command: readonly string[];
}

/**
 * The process arguments, as zkCli takes them: `-server`, `-timeout`, `-r` (accept a read-only
 * server) and `-waitforconnection` (always so here) before the command. Unlike zkCli, an
 * unknown option or a bad value is refused rather than ignored or crashed on.
 */
export function parseMainArgs(argv: readonly string[]): MainArgs {
  let server = DEFAULT_SERVER;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let readOnly = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '-server' || word === '-timeout') {
      const value = argv[++i];
      if (value === undefined) throw new CliError(`Error: no argument found for option ${word}`);
      if (word === '-server') server = value;
      else timeoutMs = parseTimeout(value);
    } else if (word === '-r') {
      readOnly = true;
    } else if (word === '-waitforconnection') {
      // coord-cli always waits for the session before running a command.
    } else if (word === '-h' || word === '-help' || word === '--help') {
      help = true;
    } else if (word.startsWith('-') && word.length > 1) {
      throw new CliError(`Error: unknown option ${word}`);
    } else {
      return { server, timeoutMs, readOnly, help, command: argv.slice(i) };
    }
  }
  return { server, timeoutMs, readOnly, help, command: [] };
}

function parseTimeout(text: string): number {
  const ms = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) {
    throw new CliError(`Error: -timeout expects a session timeout in milliseconds (1..${MAX_TIMEOUT_MS}), got "${text}"`);
  }
  return ms;
}
