import { describe, expect, it } from 'vitest';
import { hex64, javaDate, javaDouble } from './java-format.js';
import { toJson } from './json.js';

describe('values printed as ZooKeeper prints them', () => {
  it('averages: 4 decimals half-up, always a fraction, E notation outside [1e-3, 1e7)', () => {
    const cases: [number, string][] = [
      [0, '0.0'], [2, '2.0'], [2.2, '2.2'], [7 / 3, '2.3333'], [0.00005, '1.0E-4'], [0.00025, '3.0E-4'],
      [0.001, '0.001'], [0.25, '0.25'], [12_345_678, '1.2345678E7'], [1e7, '1.0E7'],
    ];
    for (const [x, text] of cases) expect(javaDouble(x), String(x)).toBe(text);
  });

  it('hex as Long.toHexString: negatives in two\'s complement', () => {
    expect(hex64(0)).toBe('0');
    expect(hex64(255)).toBe('ff');
    expect(hex64(-1)).toBe('ffffffffffffffff');
    expect(hex64(0x100002f5eb60000n)).toBe('100002f5eb60000');
    expect(hex64(-0x7fffffffffffffffn)).toBe('8000000000000001');
  });

  it('dates as java.util.Date#toString in UTC', () => {
    expect(javaDate(Date.UTC(2026, 10, 22, 0, 21, 20))).toBe('Sun Nov 22 00:21:20 UTC 2026');
    expect(javaDate(Date.UTC(2024, 0, 5, 9, 3, 7))).toBe('Fri Jan 05 09:03:07 UTC 2024');
  });
});

describe('admin JSON', () => {
  it('prints 64-bit session ids as exact numbers, as ZooKeeper does', () => {
    const text = toJson({ session_id: 72057797490376704n, ids: [-1n, 9007199254740993n], name: 'a"b', none: null, gone: undefined });
    expect(text).toBe('{"session_id":72057797490376704,"ids":[-1,9007199254740993],"name":"a\\"b","none":null}');
    expect(JSON.parse(toJson({ a: [1, { b: true }], c: 'x' }))).toEqual({ a: [1, { b: true }], c: 'x' });
  });
});
