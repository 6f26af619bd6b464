import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from './cli-error.js';
import { CLI_DEFAULTS, COMMON_FLAGS, CONNECTION_FLAGS, connectionSettings } from './connection.js';
import { flagHelp, parseFlags, type FlagSpec } from './flags.js';

const SPECS: readonly FlagSpec[] = [CONNECTION_FLAGS.server, CONNECTION_FLAGS.timeout, CONNECTION_FLAGS.connectTimeout, COMMON_FLAGS.help];

function usage(run: () => unknown): CliError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(ExitCode.USAGE);
    return err as CliError;
  }
  throw new Error('no error thrown');
}

describe('the argument kit', () => {
  it('gives both command lines the same defaults: 127.0.0.1:2181, 30 s sessions, connect within the session timeout', () => {
    expect(connectionSettings(parseFlags([], SPECS, 'leading'))).toEqual({ server: '127.0.0.1:2181', sessionTimeoutMs: 30_000, connectTimeoutMs: 30_000 });
    expect(CLI_DEFAULTS).toEqual({ server: '127.0.0.1:2181', sessionTimeoutMs: 30_000 });
    expect(ExitCode).toEqual({ OK: 0, FAILED: 1, USAGE: 2, COMMAND_NOT_FOUND: 127 });
  });

  it('reads both spellings, --name=value, and stops at the command in leading mode', () => {
    const f = parseFlags(['-server', 'a:1', '--timeout=500', '--connect-timeout', '90', 'ls', '-server', '/x'], SPECS, 'leading');
    expect(connectionSettings(f)).toEqual({ server: 'a:1', sessionTimeoutMs: 500, connectTimeoutMs: 90 });
    expect(f.rest).toEqual(['ls', '-server', '/x']);
    expect(parseFlags(['-', 'x'], SPECS, 'leading').rest).toEqual(['-', 'x']);
  });

  it('takes flags anywhere in interleaved mode, leaving -1 and words after -- as arguments', () => {
    const f = parseFlags(['a', '-1', '--help', 'b', '--', '--server'], SPECS, 'interleaved');
    expect(f.rest).toEqual(['a', '-1', 'b', '--server']);
    expect(f.values.get('help')).toBe(true);
  });

  it('refuses unknown options, missing values, values on switches and bad timeouts, naming them as written', () => {
    expect(usage(() => parseFlags(['--bogus'], SPECS, 'leading')).message).toBe('unknown option --bogus');
    expect(usage(() => parseFlags(['-server'], SPECS, 'leading')).message).toBe('no argument found for option -server');
    expect(usage(() => parseFlags(['--server='], SPECS, 'leading')).message).toBe('no argument found for option --server');
    expect(usage(() => parseFlags(['--help=yes'], SPECS, 'leading')).message).toBe('option --help takes no value, got "yes"');
    for (const bad of ['abc', '0', '-5', '1.5', '99999999999']) {
      expect(usage(() => connectionSettings(parseFlags(['-timeout', bad], SPECS, 'leading'))).message)
        .toBe(`-timeout expects a session timeout in milliseconds (1..2147483647), got "${bad}"`);
    }
    expect(usage(() => parseFlags(Array.from({ length: 10_001 }, () => 'x'), SPECS, 'interleaved')).message).toBe('too many arguments: 10001 (at most 10000)');
  });

  it('prints one help line per flag with its spellings and placeholder', () => {
    expect(flagHelp([CONNECTION_FLAGS.server, COMMON_FLAGS.help]).split('\n')).toEqual([
      '  --server, -server host:port[,host:port...][/chroot]  where to connect (default 127.0.0.1:2181)',
      '  --help, -h, -help                                    print this help and exit',
      '',
    ]);
  });
});
