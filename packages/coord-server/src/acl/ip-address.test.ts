import { describe, expect, it } from 'vitest';
import { inRange, javaParseInt, parseIpRange } from './ip-address.js';

describe('ip ACL expressions, read as ZooKeeper 3.8 reads them', () => {
  it('parses integers like Java: sign, leading zeros, any BMP decimal digit', () => {
    expect(['08', '+8', '-0', '0000000000127', '\uff11\uff12\uff17', '\u0661\u0662'].map(javaParseInt)).toEqual([8, 8, -0, 127, 127, 12]);
    expect(['', '+', '-', '+-1', '8.0', '0x7f', ' 1', '1 ', '\u{1D7CF}', '2147483648'].map(javaParseInt)).toEqual(Array(10).fill(null));
    expect(javaParseInt('-2147483648')).toBe(-2147483648);
  });

  it('accepts four parts in 0..255 and a prefix length in 0..32, nothing else', () => {
    for (const ok of ['127.0.0.1', '127.0.0.1/8', '127.000.0.+1/+08', '0.0.0.0/0', '127.0.0.1/-0']) expect(parseIpRange(ok), ok).not.toBeNull();
    for (const bad of ['::1', '::1/128', '1.2.3', '1.2.3.4.', '1.2.3.256', '1.2.3.-1', '1.2.3.4/33', '1.2.3.4/', '/8', '1.2.3.4/8/8', 'localhost']) {
      expect(parseIpRange(bad), bad).toBeNull();
    }
  });

  it('matches a client address under the prefix mask', () => {
    const m = (client: string, expr: string) => inRange(client, parseIpRange(expr)!);
    expect([m('127.0.0.1', '127.0.0.0/8'), m('127.0.0.1', '127.1.2.3/8'), m('127.0.0.1', '127.0.0.01'), m('127.0.0.1', '0.0.0.0/1')]).toEqual([true, true, true, true]);
    expect([m('127.0.0.1', '10.0.0.0/8'), m('127.0.0.1', '127.0.0.2/31'), m('127.0.0.1', '128.0.0.1/1'), m('::1', '0.0.0.0/0')]).toEqual([false, false, false, false]);
  });
});
