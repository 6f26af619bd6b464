import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../bin.js';
import { resolveOptions } from './options.js';

describe('server options', () => {
  it('fills ZooKeeper defaults: session timeouts 2 and 20 ticks', () => {
    const o = resolveOptions({ tickTime: 100 });
    expect(o).toMatchObject({ host: '127.0.0.1', port: 2181, dataDir: './data', minSessionTimeout: 200, maxSessionTimeout: 2000, serverId: 1 });
  });

  it.each([
    [{ tickTime: 0 }, /tickTime must be an integer in 1\.\.\d+, got 0/],
    [{ port: 70000 }, /port .* got 70000/],
    [{ serverId: 255 }, /serverId .* got 255/],
    [{ minSessionTimeout: 5000, maxSessionTimeout: 4000 }, /minSessionTimeout \(5000\) must not exceed maxSessionTimeout \(4000\)/],
    [{ dataDir: '' }, /dataDir must be a non-empty path/],
  ])('rejects %j naming the bad value', (opts, msg) => {
    expect(() => resolveOptions(opts)).toThrow(msg);
  });
});

describe('coord-server command line', () => {
  it('maps flags to options', () => {
    expect(parseCommandLine(['--port', '2282', '--data-dir', '/tmp/x', '--tick-time', '500', '--server-id', '3'])).toEqual({
      port: 2282, dataDir: '/tmp/x', tickTime: 500, serverId: 3,
    });
    expect(parseCommandLine(['--help'])).toBe('help');
    expect(parseCommandLine(['--no-admin', '--admin-port', '0', '--admin-host', '127.0.0.2'])).toEqual({
      adminEnabled: false, adminPort: 0, adminHost: '127.0.0.2',
    });
  });

  it('names a bad flag or value', () => {
    expect(() => parseCommandLine(['--port', 'abc'])).toThrow('--port expects an integer, got "abc"');
    expect(() => parseCommandLine(['--bogus'])).toThrow(/bogus/);
  });
});
