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
      'addauth', 'close', 'config', 'connect', 'create', 'delete', 'deleteall', 'get', 'getAcl', 'getAllChildrenNumber',
      'getEphemerals', 'ls', 'printwatches', 'quit', 'set', 'setAcl', 'stat', 'sync', 'version', 'whoami',
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
});
