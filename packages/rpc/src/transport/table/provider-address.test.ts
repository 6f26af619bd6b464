import { describe, expect, it } from 'vitest';
import { formatProviderAddress, parseProviderAddress } from './provider-address.js';

describe('provider addresses pick the transport', () => {
  it.each([
    ['127.0.0.1:20880', 'tcp', '127.0.0.1', 20880, '127.0.0.1:20880'],
    ['tcp://10.0.0.5:1', 'tcp', '10.0.0.5', 1, '10.0.0.5:1'],
    ['http://127.0.0.1:8080', 'http', '127.0.0.1', 8080, 'http://127.0.0.1:8080'],
    ['HTTP://[::1]:8080/', 'http', '::1', 8080, 'http://[::1]:8080'],
  ])('%s', (address, protocol, host, port, form) => {
    const at = parseProviderAddress(address);
    expect(at).toEqual({ protocol, host, port });
    expect(formatProviderAddress(at)).toBe(form);
  });

  it.each(['https://h:1', 'http://h', 'h', 'http://h:1/path', 'udp://h:1'])('%s is refused', (address) => {
    expect(() => parseProviderAddress(address)).toThrow(TypeError);
  });
});
