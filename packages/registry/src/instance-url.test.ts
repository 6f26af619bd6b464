import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors.js';
import {
  MAX_URL_LENGTH, formatConsumerUrl, formatProviderUrl, fromNodeName, parseProviderUrl, parseUrl, toNodeName,
  type ProviderInstance,
} from './instance-url.js';

const greeter: ProviderInstance = {
  service: 'Greeter', protocol: 'tcp', host: '10.0.0.5', port: 20880, version: '1.2.0', methods: ['hello', 'bye'],
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RegistryError) return err.code;
    throw err;
  }
  throw new Error('did not throw');
}

describe('instance URLs', () => {
  it('formats the documented shape, parameters in a fixed order', () => {
    expect(formatProviderUrl(greeter, { pid: 123, timestamp: 1700000000000 })).toBe(
      'tcp://10.0.0.5:20880/Greeter?version=1.2.0&group=default&weight=100&methods=hello,bye&pid=123&timestamp=1700000000000');
    expect(formatProviderUrl({ ...greeter, protocol: 'http', group: 'blue', weight: 0, methods: [], params: { z: '1', a: '2' } }))
      .toBe('http://10.0.0.5:20880/Greeter?version=1.2.0&group=blue&weight=0&a=2&z=1');
  });

  it('parses what it formats, with every field and defaults resolved', () => {
    const url = formatProviderUrl({ ...greeter, params: { region: 'eu west/1' } }, { pid: 7, timestamp: 9 });
    expect(parseProviderUrl(url)).toEqual({
      url, service: 'Greeter', protocol: 'tcp', host: '10.0.0.5', port: 20880, address: '10.0.0.5:20880', version: '1.2.0',
      group: 'default', weight: 100, methods: ['hello', 'bye'], params: { region: 'eu west/1' }, pid: 7, timestamp: 9,
    });
    const bare = parseProviderUrl('tcp://host-a.example:1/Svc?version=2.0.0-rc.1');
    expect(bare).toMatchObject({ group: 'default', weight: 100, methods: [], params: {}, host: 'host-a.example' });
    expect(bare.pid).toBeUndefined();
  });

  it('brackets IPv6 hosts and keeps them apart from the port', () => {
    const url = formatProviderUrl({ ...greeter, host: '::1' });
    expect(url.startsWith('tcp://[::1]:20880/Greeter?')).toBe(true);
    expect(parseProviderUrl(url)).toMatchObject({ host: '::1', port: 20880, address: '[::1]:20880' });
  });

  it('round-trips any valid instance (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_.$-]{1,20}$/).filter((s) => s !== '.' && s !== '..');
    const ident = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,10}$/);
    const inst = fc.record({
      service: name,
      protocol: fc.constantFrom('tcp' as const, 'http' as const),
      host: fc.oneof(fc.ipV4(), fc.constantFrom('::1', 'fe80::1', 'localhost', 'a-b.example.com')),
      port: fc.integer({ min: 1, max: 65535 }),
      version: fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map(([a, b, c]) => `${a}.${b}.${c}`),
      group: name,
      weight: fc.integer({ min: 0, max: 1_000_000 }),
      methods: fc.uniqueArray(ident, { maxLength: 5 }),
      params: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/).filter((k) => !['version', 'group', 'weight', 'methods', 'pid', 'timestamp'].includes(k)), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
    });
    fc.assert(fc.property(inst, fc.nat(), (i, pid) => {
      const url = formatProviderUrl(i, { pid, timestamp: 1 });
      const p = parseProviderUrl(url);
      expect(p).toMatchObject({ ...i, methods: i.methods, params: i.params, pid, url });
      expect(fromNodeName(toNodeName(url))).toBe(url);
      expect(toNodeName(url)).not.toContain('/');
    }), { numRuns: 300 });
  });

  it('reads node names written by Java URLEncoder ("+" for a space)', () => {
    expect(fromNodeName('tcp%3A%2F%2Fh%3A1%2FS%3Fversion%3D1.0.0%26zone%3Da+b')).toBe('tcp://h:1/S?version=1.0.0&zone=a b');
    expect(codeOf(() => fromNodeName('%E0%A4%A'))).toBe('INVALID_URL');
  });

  it('rejects malformed URLs with INVALID_URL or the code of the bad field', () => {
    expect(codeOf(() => parseProviderUrl('garbage'))).toBe('INVALID_URL');
    expect(codeOf(() => parseProviderUrl('tcp://h/Svc?version=1.0.0'))).toBe('INVALID_URL');
    expect(codeOf(() => parseProviderUrl('tcp://h:1/Svc?version=1.0.0&pid=x'))).toBe('INVALID_URL');
    expect(codeOf(() => parseProviderUrl('tcp://h:1/Svc?version=%ZZ'))).toBe('INVALID_URL');
    expect(codeOf(() => parseProviderUrl(`tcp://h:1/Svc?version=1.0.0&x=${'a'.repeat(MAX_URL_LENGTH)}`))).toBe('INVALID_URL');
    expect(codeOf(() => parseProviderUrl('dubbo://h:1/Svc?version=1.0.0'))).toBe('INVALID_PROTOCOL');
    expect(codeOf(() => parseProviderUrl('tcp://h:99999/Svc?version=1.0.0'))).toBe('INVALID_PORT');
    expect(codeOf(() => parseProviderUrl('tcp://h:1/Svc?version=1.0'))).toBe('INVALID_VERSION');
    expect(codeOf(() => parseProviderUrl('tcp://h:1/Svc'))).toBe('INVALID_VERSION');
    expect(codeOf(() => parseProviderUrl('tcp://h:1/S%2Fvc?version=1.0.0'))).toBe('INVALID_SERVICE');
    expect(codeOf(() => parseProviderUrl('tcp://h_h:1/Svc?version=1.0.0'))).toBe('INVALID_HOST');
    expect(codeOf(() => parseProviderUrl('tcp://h:1/Svc?version=1.0.0&weight=-3'))).toBe('INVALID_WEIGHT');
    expect(codeOf(() => parseProviderUrl('tcp://h:1/Svc?version=1.0.0&methods=a,b-c'))).toBe('INVALID_METHODS');
    expect(codeOf(() => formatProviderUrl({ ...greeter, params: { k: 'v'.repeat(1025) } }))).toBe('INVALID_PARAM');
    expect(codeOf(() => formatProviderUrl(null as unknown as ProviderInstance))).toBe('INVALID_URL');
  });

  it('names the bad value in the error', () => {
    try {
      formatProviderUrl({ ...greeter, version: 'one' });
    } catch (err) {
      expect(err).toBeInstanceOf(RegistryError);
      expect((err as RegistryError).value).toBe('one');
      expect((err as RegistryError).message).toBe('invalid version "one": must be a semantic version such as 1.2.0');
    }
    expect.assertions(3);
  });

  it('formats consumer URLs without a port, keeping the version spec', () => {
    const url = formatConsumerUrl({ service: 'Greeter', host: '10.0.0.7', version: '^1.0', group: 'default' }, { pid: 5 });
    expect(url).toBe('consumer://10.0.0.7/Greeter?version=%5E1.0&group=default&pid=5');
    expect(parseUrl(url)).toMatchObject({ scheme: 'consumer', host: '10.0.0.7', port: null, path: 'Greeter' });
  });
});
