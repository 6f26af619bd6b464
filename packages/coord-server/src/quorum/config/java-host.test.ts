import { describe, expect, it } from 'vitest';
import { delimitedHost, javaHostString } from './java-host.js';

// Each row checked against Java 17's new InetSocketAddress(host, port).getHostString().
describe('javaHostString: hosts as ZooKeeper prints them', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'], ['127.0.0.01', '127.0.0.1'], ['127.1', '127.0.0.1'], ['10.65536', '10.1.0.0'],
    ['::1', '0:0:0:0:0:0:0:1'], ['fe80::0001:0:0:0:abcd', 'fe80:0:0:1:0:0:0:abcd'], ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::1.2.3.4', '0:0:0:0:0:0:102:304'], ['FE80::1%eth0', 'fe80:0:0:0:0:0:0:1%eth0'],
    ['localhost', 'localhost'], ['ZK-1.example', 'ZK-1.example'], ['300.1.1.1', '300.1.1.1'], ['1234', '0.0.4.210'],
  ])('%s → %s', (host, printed) => {
    expect(javaHostString(host)).toBe(printed);
  });

  it('brackets IPv6 hosts only', () => {
    expect(delimitedHost('0:0:0:0:0:0:0:1')).toBe('[0:0:0:0:0:0:0:1]');
    expect(delimitedHost('10.0.0.1')).toBe('10.0.0.1');
  });
});
