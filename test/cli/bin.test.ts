import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '@paddock/coord-client';
import { freePort } from '../support/ports.js';
import { CLI_BIN, spawnCli } from './cli-harness.js';

const json = (path: string): { bin?: Record<string, string> } => JSON.parse(readFileSync(path, 'utf8')) as { bin?: Record<string, string> };

/** The bin's own arguments and wiring; no server needed (refusals come before connecting). */
describe('coord-cli bin', () => {
  it('is declared by the package and by the repo root (npx coord-cli), and is not part of the library API', () => {
    expect(json('packages/coord-client/package.json').bin).toEqual({ 'coord-cli': './bin/coord-cli.js' });
    expect(json('package.json').bin?.['coord-cli']).toBe(CLI_BIN);
    expect(existsSync(CLI_BIN)).toBe(true);
    expect(Object.keys(api)).not.toContain('main');
    expect(readFileSync('packages/coord-client/src/index.ts', 'utf8')).not.toContain('cli/');
  });

  it('--help prints every command\'s usage and exits 0', async () => {
    const r = await spawnCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^coord-cli -server host:port\[,host:port\.\.\.\]\[\/chroot\] -timeout ms \[-r\] cmd args\n/);
    for (const usage of [
      'ls [-s] [-w] [-R] path', 'get [-s] [-w] path', 'set [-s] [-v version] path data',
      'create [-s] [-e] [-c] [-t ttl] path [data] [acl]', 'stat [-w] path', 'delete [-v version] path',
      'deleteall path [-b batch size]', 'getAcl [-s] path', 'setAcl [-s] [-v version] [-R] path acl',
      'addauth scheme auth', 'sync path', 'whoami ', 'getEphemerals path', 'getAllChildrenNumber path',
      'printwatches on|off', 'connect host:port', 'close ', 'quit ',
    ]) {
      expect(r.out).toContain(`\t${usage}\n`);
    }
  });

  it('refuses bad process arguments with a message naming them and exit code 1', async () => {
    const cases: [string[], string][] = [
      [['-server'], 'Error: no argument found for option -server\n'],
      [['-timeout', 'abc', 'ls', '/'], 'Error: -timeout expects a session timeout in milliseconds (1..2147483647), got "abc"\n'],
      [['-foo', 'ls', '/'], 'Error: unknown option -foo\n'],
    ];
    for (const [args, message] of cases) {
      const r = await spawnCli(args);
      expect({ args, code: r.code, out: r.out }).toEqual({ args, code: 1, out: '' });
      expect(r.err).toBe(`${message}Usage: coord-cli -server host:port[,host:port...][/chroot] -timeout ms [-r] cmd args\n`);
    }
  });

  it('checks a one-shot command\'s arguments before connecting', async () => {
    const server = `127.0.0.1:${await freePort()}`;
    expect(await spawnCli(['-server', server, 'ls'])).toMatchObject({ out: `Connecting to ${server}\n`, err: 'ls [-s] [-w] [-R] path\n', code: 1 });
    expect(await spawnCli(['-server', server, 'create', '-t', 'x', '/a'])).toMatchObject({ err: '-t argument must be a long value\n', code: 1 });
    expect(await spawnCli(['-server', server, 'setAcl', '/a', 'world:anyone'])).toMatchObject({ code: 1 });
    const unknown = await spawnCli(['-server', server, 'lsx', '/']);
    expect(unknown.code).toBe(127);
    expect(unknown.err.endsWith('Command not found: Command not found lsx\n')).toBe(true);
  });

  it('gives up on an unreachable server after -timeout, saying so', async () => {
    const server = `127.0.0.1:${await freePort()}`;
    const r = await spawnCli(['-server', server, '-timeout', '500', 'ls', '/']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^Unable to connect to ${server.replaceAll('.', '\\.')}: KeeperErrorCode = ConnectionLoss`));
  });
});
