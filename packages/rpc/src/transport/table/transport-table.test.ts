import { PROTOCOLS } from '@paddock/registry';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRANSPORT, TRANSPORTS, TRANSPORT_NAMES, isTransportName } from './transport-table.js';

describe('the transport table', () => {
  it('has a row for every protocol the registry announces providers under, and no other', () => {
    expect([...TRANSPORT_NAMES].sort()).toEqual([...PROTOCOLS].sort());
    expect(isTransportName(DEFAULT_TRANSPORT)).toBe(true);
    expect(isTransportName('grpc')).toBe(false);
    expect(isTransportName('constructor')).toBe(false);
  });

  it('writes each provider in its address form, IPv6 hosts in brackets', () => {
    expect(TRANSPORTS.tcp.address('10.0.0.5', 20880)).toBe('10.0.0.5:20880');
    expect(TRANSPORTS.tcp.address('::1', 20880)).toBe('[::1]:20880');
    expect(TRANSPORTS.http.address('h.example', 8080)).toBe('http://h.example:8080');
    expect(TRANSPORTS.http.address('::1', 8080)).toBe('http://[::1]:8080');
  });
});
