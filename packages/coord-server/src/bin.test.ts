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
    expect(parseCommandLine(['--no-console', '--console-token-file', '/etc/paddock/token'])).toEqual({
      console: false, consoleTokenFile: '/etc/paddock/token',
    });
  });

  it('maps the log flags, naming a bad value', () => {
    expect(parseCommandLine(['--log-format', 'json', '--log-file', '/tmp/x.log', '--log-max-size', '10MB', '--log-max-files', '3'])).toEqual({
      log: { format: 'json', file: '/tmp/x.log', maxSize: 10 * 1024 * 1024, maxFiles: 3 },
    });
    expect(() => parseCommandLine(['--log-format', 'xml'])).toThrow('--log-format: unknown log format "xml" (pretty or json)');
    expect(() => parseCommandLine(['--log-max-size', '10 parsecs'])).toThrow('--log-max-size: bad size "10 parsecs"');
    expect(() => parseCommandLine(['--log-max-files', '1001'])).toThrow('--log-max-files: bad count "1001" (expected 0..1000)');
  });

  it('names a bad flag or value', () => {
    expect(() => parseCommandLine(['--port', 'abc'])).toThrow('--port expects an integer, got "abc"');
    expect(() => parseCommandLine(['--bogus'])).toThrow(/bogus/);
  });
});
