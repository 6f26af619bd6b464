import { describe, expect, it } from 'vitest';
import { parseProviderUrl, type Provider } from './instance-url.js';
import { applyOverrides, formatOverrideUrl, parseOverrideUrl, sortOverrides } from './override.js';

const provider = (host: string, port: number, weight = 100): Provider =>
  parseProviderUrl(`tcp://${host}:${port}/Greeter?version=1.0.0&weight=${weight}`);

describe('configurator overrides', () => {
  it('formats and parses rules for any host, a host, and one instance', () => {
    expect(formatOverrideUrl('Greeter', { disabled: true })).toBe('override://0.0.0.0/Greeter?disabled=true');
    expect(formatOverrideUrl('Greeter', { host: '10.0.0.5', weight: 200 })).toBe('override://10.0.0.5/Greeter?weight=200');
    const one = formatOverrideUrl('Greeter', { host: '10.0.0.5', port: 20880, weight: 0, disabled: false });
    expect(parseOverrideUrl(one)).toEqual({ url: one, service: 'Greeter', host: '10.0.0.5', port: 20880, weight: 0, disabled: false });
    expect(parseOverrideUrl('override://0.0.0.0/Greeter?disabled=true')).toMatchObject({ host: null, port: null, disabled: true });
    expect(parseOverrideUrl('override://*:0/Greeter?weight=1')).toMatchObject({ host: null, port: null, weight: 1 });
  });

  it('rejects rules that set nothing or do not parse', () => {
    expect(() => formatOverrideUrl('Greeter', {})).toThrow(/sets neither weight nor disabled/);
    expect(() => parseOverrideUrl('override://0.0.0.0/Greeter?enabled=true')).toThrow(/sets neither/);
    expect(() => parseOverrideUrl('override://0.0.0.0/Greeter?disabled=yes')).toThrow(/disabled must be true or false/);
    expect(() => parseOverrideUrl('tcp://0.0.0.0:1/Greeter?weight=1')).toThrow(/scheme must be override/);
    expect(() => parseOverrideUrl('override://0.0.0.0/Greeter?weight=heavy')).toThrow(/invalid weight "heavy"/);
  });

  it('applies rules from the least to the most specific: any host < host < host:port', () => {
    const rules = sortOverrides([
      parseOverrideUrl('override://10.0.0.1:2/Greeter?weight=5'),
      parseOverrideUrl('override://10.0.0.1/Greeter?weight=50'),
      parseOverrideUrl('override://0.0.0.0/Greeter?weight=500&disabled=false'),
      parseOverrideUrl('override://10.0.0.2/Greeter?disabled=true'),
    ]);
    const list = applyOverrides([provider('10.0.0.1', 1), provider('10.0.0.1', 2), provider('10.0.0.2', 1), provider('10.0.0.3', 1)], rules);
    expect(list.map((p) => `${p.address}=${p.weight}`)).toEqual(['10.0.0.1:1=50', '10.0.0.1:2=5', '10.0.0.3:1=500']);
  });

  it('returns the same list and objects when nothing applies', () => {
    const list = [provider('10.0.0.1', 1)];
    expect(applyOverrides(list, [])).toBe(list);
    const same = applyOverrides(list, [parseOverrideUrl('override://10.9.9.9/Greeter?weight=1')]);
    expect(same[0]).toBe(list[0]);
  });
});
