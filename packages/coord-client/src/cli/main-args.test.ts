import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER, DEFAULT_TIMEOUT_MS, parseMainArgs } from './main-args.js';

describe('parseMainArgs', () => {
  it('starts the shell on zkCli\'s defaults without arguments', () => {
    expect(parseMainArgs([])).toEqual({
      server: DEFAULT_SERVER, timeoutMs: DEFAULT_TIMEOUT_MS, readOnly: false, help: false, command: [],
    });
  });

  it('reads -server, -timeout and -r, and takes the first other word as a one-shot command', () => {
    expect(parseMainArgs(['-server', 'a:1,b:2/app', '-timeout', '5000', '-r', 'ls', '-s', '/'])).toEqual({
      server: 'a:1,b:2/app', timeoutMs: 5000, readOnly: true, help: false, command: ['ls', '-s', '/'],
    });
    expect(parseMainArgs(['-waitforconnection', 'get', '/x']).command).toEqual(['get', '/x']);
  });

  it('leaves options after the command to the command', () => {
    expect(parseMainArgs(['create', '-server', '/x']).command).toEqual(['create', '-server', '/x']);
  });

  it('asks for help with -h, -help or --help', () => {
    for (const h of ['-h', '-help', '--help']) expect(parseMainArgs([h]).help).toBe(true);
  });

  it('refuses missing values, bad timeouts and unknown options, naming them', () => {
    expect(() => parseMainArgs(['-server'])).toThrow('Error: no argument found for option -server');
    expect(() => parseMainArgs(['-timeout'])).toThrow('Error: no argument found for option -timeout');
    for (const bad of ['abc', '0', '-5', '1.5', '99999999999']) {
      expect(() => parseMainArgs(['-timeout', bad]), bad).toThrow(`-timeout expects a session timeout in milliseconds (1..2147483647), got "${bad}"`);
    }
    expect(() => parseMainArgs(['-foo', 'ls', '/'])).toThrow('Error: unknown option -foo');
  });
});
