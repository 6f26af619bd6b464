import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from './cli-error.js';
import { COMMANDS, lookup, parseInvocation, usageListing } from './command-table.js';

function failure(run: () => unknown): CliError {
  try {
    run();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('no failure');
}

describe('the command table', () => {
  it('holds the commands zkCli has, each with its usage line', () => {
    expect([...COMMANDS.keys()].sort()).toEqual([
      'addWatch', 'addauth', 'close', 'config', 'connect', 'create', 'delete', 'deleteall', 'delquota', 'get', 'getAcl',
      'getAllChildrenNumber', 'getEphemerals', 'history', 'listquota', 'ls', 'printwatches', 'quit', 'redo', 'removewatches',
      'set', 'setAcl', 'setquota', 'stat', 'sync', 'version', 'whoami',
    ]);
    for (const [name, c] of COMMANDS) expect(c.usage.startsWith(`${name} `), name).toBe(true);
  });

  it('lists the usages in name order after the invocation line, as zkCli does', () => {
    const lines = usageListing().split('\n');
    expect(lines[0]).toMatch(/^coord-cli -server /);
    const names = lines.slice(1, -1).map((l) => l.slice(1).split(' ')[0]);
    expect(names).toEqual([...names].sort());
    expect(lines.slice(1, -1).every((l) => l.startsWith('\t'))).toBe(true);
  });

  it('an unknown command fails with the list and exit code 127', () => {
    const err = failure(() => lookup('bogus'));
    expect(err.exitCode).toBe(ExitCode.COMMAND_NOT_FOUND);
    expect(err.message.endsWith('Command not found: Command not found bogus')).toBe(true);
  });

  it('too few arguments fail with the command\'s usage line', () => {
    expect(failure(() => parseInvocation(lookup('set'), ['/x'])).message).toBe('set [-s] [-v version] path data');
    expect(failure(() => parseInvocation(lookup('ls'), ['-s'])).message).toBe('ls [-s] [-w] [-R] path');
    expect(parseInvocation(lookup('getEphemerals'), []).args.args).toEqual([]);
  });

  it('reads "cmd path watch" as -w, with zkCli\'s deprecation warning', () => {
    const inv = parseInvocation(lookup('get'), ['/x', 'true']);
    expect(inv.args.flags.has('w')).toBe(true);
    expect(inv.args.args).toEqual(['/x']);
    expect(inv.warning).toBe("'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.");
    expect(parseInvocation(lookup('get'), ['/x']).warning).toBeUndefined();
  });

  it('refuses setquota and delquota options as zkCli\'s commons-cli does, naming the exception', () => {
    const setquota = (...w: string[]): string => failure(() => parseInvocation(lookup('setquota'), w)).message;
    expect(setquota('/q')).toBe('org.apache.commons.cli.MissingOptionException: Missing required option: '
      + '[-n num soft quota, -b bytes soft quota, -N num hard quota, -B bytes hard quota]');
    expect(setquota('-n', '2', '-N', '3', '/q')).toBe("org.apache.commons.cli.AlreadySelectedException: The option 'N' "
      + "was specified but an option from this group has already been selected: 'n'");
    expect(setquota('-n')).toBe('org.apache.commons.cli.MissingArgumentException: Missing argument for option: n');
    expect(setquota('-x', '1', '/q')).toBe('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x');
    expect(setquota('-n', '2')).toBe('setquota -n|-b|-N|-B val path');
    expect(failure(() => parseInvocation(lookup('delquota'), ['-n', '-b', '/q'])).message).toBe("org.apache.commons.cli."
      + "AlreadySelectedException: The option 'b' was specified but an option from this group has already been selected: 'n'");
    expect(parseInvocation(lookup('delquota'), ['/q']).args.args).toEqual(['/q']);
  });

  it('takes addWatch with one path and a mode by name in any case, else prints its usage', () => {
    const usage = 'addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE';
    for (const words of [[], ['-m', 'bogus', '/q'], ['/q', '/x']]) {
      expect(failure(() => parseInvocation(lookup('addWatch'), words)).message).toBe(usage);
    }
    expect(parseInvocation(lookup('addWatch'), ['-m', 'persistent', '/q']).args.values.get('m')).toBe('persistent');
  });
});
