import {
  CLI_DEFAULTS, COMMON_FLAGS, CONNECTION_FLAGS, CliError as KitError, connectionSettings, parseFlags, type FlagSpec,
} from '@paddock/edges';
import { CliError } from './cli-error.js';

/** The defaults of the argument kit, which `registry` shares. */
export const DEFAULT_SERVER = CLI_DEFAULTS.server;
export const DEFAULT_TIMEOUT_MS = CLI_DEFAULTS.sessionTimeoutMs;

export interface MainArgs {
  readonly server: string;
  readonly timeoutMs: number;
  readonly readOnly: boolean;
  readonly help: boolean;
  /** The one-shot command and its arguments; empty to start the shell. */
  readonly command: readonly string[];
}

/** zkCli's process options, `-server` and `-timeout` spelled both ways as `registry` takes them. */
const FLAGS: readonly FlagSpec[] = [
  CONNECTION_FLAGS.server,
  CONNECTION_FLAGS.timeout,
  { names: ['-r'], key: 'readOnly', help: 'accept a read-only server' },
  { names: ['-waitforconnection'], key: 'wait', help: 'wait for the session first (coord-cli always does)' },
  COMMON_FLAGS.help,
];

/**
 * The process arguments, as zkCli takes them: `-server`, `-timeout`, `-r` (accept a read-only
 * server) and `-waitforconnection` (always so here) before the command. Unlike zkCli, an
 * unknown option or a bad value is refused rather than ignored or crashed on, worded as zkCli
 * words its own refusals ("Error: ...", exit code 1).
 */
export function parseMainArgs(argv: readonly string[]): MainArgs {
  try {
    const flags = parseFlags(argv, FLAGS, 'leading');
    const { server, sessionTimeoutMs } = connectionSettings(flags);
    return {
      server,
      timeoutMs: sessionTimeoutMs,
      readOnly: flags.values.has('readOnly'),
      help: flags.values.has('help'),
      command: flags.rest,
    };
  } catch (err) {
    if (err instanceof KitError) throw new CliError(`Error: ${err.message}`);
    throw err;
  }
}
