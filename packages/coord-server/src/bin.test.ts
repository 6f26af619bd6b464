import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './bin.js';

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
