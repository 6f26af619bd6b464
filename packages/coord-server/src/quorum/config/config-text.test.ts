import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../base/config-error.js';
import { parseConfigText } from './config-text.js';

/**
 * Captured from a real ZooKeeper 3.8.0 ensemble (Debian's package, three QuorumPeerMain
 * processes on loopback, reconfigEnabled=false): `zkCli.sh config`, which prints the data of
 * /zookeeper/config. Its zoo.cfg listed, after tickTime, initLimit, syncLimit, dataDir,
 * clientPort, admin.enableServer and 4lw.commands.whitelist:
 *   server.1=127.0.0.1:24264:24274
 *   server.2=127.0.0.1:24265:24275;24255
 *   server.3=localhost:24266:24276:participant;127.0.0.1:24256
 * The data has no final newline (zkCli adds one when it prints); no dynamic config file is
 * written while reconfiguration is off, and the same text goes into election notifications.
 */
const REAL = 'server.1=127.0.0.1:24264:24274:participant\n'
  + 'server.2=127.0.0.1:24265:24275:participant;0.0.0.0:24255\n'
  + 'server.3=localhost:24266:24276:participant;127.0.0.1:24256\n'
  + 'version=0';

describe('the /zookeeper/config text', () => {
  it('reads what a real ZooKeeper ensemble wrote and writes it back byte for byte', () => {
    const q = parseConfigText(REAL);
    expect(q.text).toBe(REAL);
    expect(q.version).toBe(0);
    expect([...q.voters]).toEqual([1, 2, 3]);
    expect(q.server(3)).toEqual({
      id: 3, role: 'participant', addresses: [{ host: 'localhost', quorumPort: 24266, electionPort: 24276 }],
      client: { host: '127.0.0.1', port: 24256 },
    });
  });

  it('reads the version in hex and prints it back in hex', () => {
    const q = parseConfigText('server.1=a:1:2:participant\nserver.2=b:1:2:observer\nserver.3=c:1:2:participant\nversion=1f00000003');
    expect(q.version).toBe(0x1f00000003);
    expect(q.text.endsWith('\nversion=1f00000003')).toBe(true);
    expect([...q.observers]).toEqual([2]);
  });

  it('puts servers in ZooKeeper\'s order whatever order the text had', () => {
    const q = parseConfigText('server.10=h:1:2\nserver.5=h:3:4\nserver.20=h:5:6\nversion=0');
    expect(q.servers.map((s) => s.id)).toEqual([20, 5, 10]);
  });

  it.each([
    ['server.1=a:1:2\nfoo=bar', 'config text line 2: foo=bar: unknown key foo'],
    ['server.1=a:1:2\nserver.01=b:1:2', 'config text line 2: server.01=b:1:2: server id 1 is listed twice'],
    ['server.1=a:1:2\nversion=xyz', 'config text line 2: version=xyz: version "xyz" is not a hex number'],
    ['server.1=a:1:2:observer', 'config text: no participant (voter) is listed'],
    ['server.1=a:1', 'config text line 1: server.1=a:1: expected host:quorumPort:electionPort'],
    ['server.1=a:1:2|b:3:4', 'several addresses (|) need multiAddress.enabled=true'],
    ['justaword', 'config text line 1: cannot parse "justaword"'],
  ])('refuses %j naming the line', (text, message) => {
    expect(() => parseConfigText(text)).toThrow(ConfigError);
    expect(() => parseConfigText(text)).toThrow(message);
  });

  it('takes several addresses when asked to, as multiAddress.enabled does', () => {
    expect(parseConfigText('server.1=b:1:2|a:3:4:participant\nversion=0', true).text).toBe('server.1=a:3:4|b:1:2:participant\nversion=0');
  });
});
