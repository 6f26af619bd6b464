import { usageError } from './cli-error.js';
import { flagValue, type FlagSpec, type ParsedFlags } from './flags.js';

/**
 * What both command lines connect with unless told otherwise. 127.0.0.1 rather than zkCli's
 * `localhost`: Node resolves localhost to ::1 first on many hosts, where a server bound to
 * 127.0.0.1 (Paddock's default) is not found. 30 s is zkCli's session timeout.
 */
export const CLI_DEFAULTS = { server: '127.0.0.1:2181', sessionTimeoutMs: 30_000 } as const;

/** The largest timeout a Node timer can wait. */
const MAX_TIMEOUT_MS = 0x7fffffff;

/** The connection flags both CLIs accept, in both spellings (`--server` and zkCli's `-server`). */
export const CONNECTION_FLAGS = {
  server: {
    names: ['--server', '-server'], key: 'server', value: 'host:port[,host:port...][/chroot]',
    help: `where to connect (default ${CLI_DEFAULTS.server})`,
  },
  timeout: {
    names: ['--timeout', '-timeout'], key: 'timeout', value: 'ms',
    help: `session timeout (default ${CLI_DEFAULTS.sessionTimeoutMs})`,
  },
  connectTimeout: {
    names: ['--connect-timeout'], key: 'connectTimeout', value: 'ms',
    help: 'how long to wait for the first connection (default: the session timeout)',
  },
} as const satisfies Record<string, FlagSpec>;

/** Where and how to connect, from the flags, with the shared defaults. */
export interface ConnectionSettings {
  /** Connect string, `host:port[,host:port...][/chroot]`. */
  readonly server: string;
  readonly sessionTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** Milliseconds in 1..2^31-1 written as plain digits; a usage error naming the flag and the text otherwise. */
export function parseTimeoutMs(flag: string, text: string, what = 'a session timeout'): number {
  const ms = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) {
    throw usageError(`${flag} expects ${what} in milliseconds (1..${MAX_TIMEOUT_MS}), got "${text}"`);
  }
  return ms;
}

export function connectionSettings(flags: ParsedFlags): ConnectionSettings {
  const timeout = flagValue(flags, 'timeout');
  const connect = flagValue(flags, 'connectTimeout');
  const sessionTimeoutMs = timeout === undefined ? CLI_DEFAULTS.sessionTimeoutMs : parseTimeoutMs(flags.spelled.get('timeout') ?? '--timeout', timeout);
  return {
    server: flagValue(flags, 'server') ?? CLI_DEFAULTS.server,
    sessionTimeoutMs,
    connectTimeoutMs: connect === undefined ? sessionTimeoutMs : parseTimeoutMs(flags.spelled.get('connectTimeout') ?? '--connect-timeout', connect, 'a connect timeout'),
  };
}

/** The switches every command line has. */
export const COMMON_FLAGS = {
  help: { names: ['--help', '-h', '-help'], key: 'help', help: 'print this help and exit' },
  version: { names: ['--version'], key: 'version', help: 'print the version and exit' },
} as const satisfies Record<string, FlagSpec>;
