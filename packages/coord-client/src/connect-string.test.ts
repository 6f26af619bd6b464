import { describe, expect, it } from 'vitest';
import { Code, KeeperError } from '@paddock/coord-protocol';
import { DEFAULT_PORT, MAX_HOSTS, formatHost, parseConnectString } from './connect-string.js';

function failure(input: string): KeeperError {
  try {
    parseConnectString(input);
  } catch (err) {
    if (err instanceof KeeperError) return err;
    throw err;
  }
  throw new Error(`"${input}" parsed`);
}

describe('parseConnectString', () => {
  it('parses hosts, ports and a chroot', () => {
    expect(parseConnectString('zk1:2181,zk2:2182,10.0.0.3:2183/app/prod')).toEqual({
      hosts: [{ host: 'zk1', port: 2181 }, { host: 'zk2', port: 2182 }, { host: '10.0.0.3', port: 2183 }],
      chroot: '/app/prod',
    });
  });

  it('defaults the port, trims blanks, and treats "/" as no chroot', () => {
    expect(parseConnectString(' a , b:1 /')).toEqual({
      hosts: [{ host: 'a', port: DEFAULT_PORT }, { host: 'b', port: 1 }],
      chroot: null,
    });
    expect(parseConnectString('localhost').chroot).toBeNull();
  });

  it('accepts bracketed IPv6 addresses with and without a port', () => {
    const { hosts } = parseConnectString('[::1]:2181,[fe80::1%eth0],[2001:db8::2]:3000/x');
    expect(hosts).toEqual([
      { host: '::1', port: 2181 }, { host: 'fe80::1%eth0', port: DEFAULT_PORT }, { host: '2001:db8::2', port: 3000 },
    ]);
    expect(hosts.map(formatHost)).toEqual(['[::1]:2181', '[fe80::1%eth0]:2181', '[2001:db8::2]:3000']);
  });

  it.each([
    ['', 'no hosts'],
    ['   ', 'no hosts'],
    ['/chroot', 'empty host entry'],
    ['a:2181,,b:2181', 'empty host entry'],
    ['a:', 'port "" of "a:"'],
    ['a:abc', 'port "abc" of "a:abc"'],
    ['a:0', 'port 0 of "a:0"'],
    ['a:65536', 'port 65536 of "a:65536"'],
    ['a:-1', 'port "-1"'],
    ['::1:2181', 'must be written in brackets'],
    ['[::1', 'bad IPv6 address'],
    ['[::1]x', 'unexpected "x"'],
    ['bad host:1', 'bad host name "bad host"'],
    ['-a:1', 'bad host name "-a"'],
    ['a:1/chroot/', 'bad chroot "/chroot/"'],
    ['a:1/a//b', 'bad chroot "/a//b"'],
    ['a:1/a/../b', 'bad chroot'],
  ])('rejects %j naming the problem', (input, reason) => {
    const err = failure(input);
    expect(err.code).toBe(Code.BadArguments);
    expect(err.message).toContain(`invalid connect string "${input}"`);
    expect(err.message).toContain(reason);
  });

  it('bounds the number of hosts', () => {
    const many = Array.from({ length: MAX_HOSTS + 1 }, (_, i) => `h${i}:1`).join(',');
    expect(failure(many).message).toContain(`at most ${MAX_HOSTS}`);
    expect(parseConnectString(many.split(',').slice(0, MAX_HOSTS).join(',')).hosts).toHaveLength(MAX_HOSTS);
  });

  it('rejects a value that is not a string', () => {
    expect(failure(42 as unknown as string).message).toContain('not a string');
  });
});
