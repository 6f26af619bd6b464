import { describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '@paddock/edges';
import { HostProvider, shuffle } from './host-provider.js';

const hosts = [1, 2, 3].map((i) => ({ host: `h${i}`, port: 2181 }));

describe('HostProvider', () => {
  it('shuffles once and then goes round-robin', () => {
    const p = new HostProvider(hosts, { baseDelayMs: 100, maxDelayMs: 1000 }, seeded(1));
    const first = [0, 1, 2].map(() => p.next(false).host.host);
    expect([...first].sort()).toEqual(['h1', 'h2', 'h3']);
    expect([0, 1, 2].map(() => p.next(false).host.host)).toEqual(first);
  });

  it('tries a whole pass without pausing, then backs off doubling up to the cap', () => {
    const p = new HostProvider(hosts, { baseDelayMs: 100, maxDelayMs: 300 }, () => 0.999);
    const delays = Array.from({ length: 13 }, () => p.next(false).delayMs);
    expect(delays).toEqual([0, 0, 0, 99, 0, 0, 199, 0, 0, 299, 0, 0, 299]);
  });

  it('keeps backoff under the limit the session imposes', () => {
    const p = new HostProvider(hosts.slice(0, 1), { baseDelayMs: 100, maxDelayMs: 10_000 }, () => 0.999);
    const delays = Array.from({ length: 8 }, () => p.next(false, 250).delayMs);
    expect(Math.max(...delays)).toBeLessThanOrEqual(250);
  });

  it('jitters the first attempt after a loss and restarts backoff once connected', () => {
    const p = new HostProvider(hosts, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.5);
    expect(p.next(true).delayMs).toBe(50);
    p.next(false);
    p.next(false);
    expect(p.next(false).delayMs).toBeGreaterThan(0);
    p.onConnected();
    expect(p.attempts).toBe(0);
    expect(p.next(false).delayMs).toBe(0);
  });

  it('moves to another host after a connection drops', () => {
    const p = new HostProvider(hosts, { baseDelayMs: 0, maxDelayMs: 0 }, seeded(7));
    const a = p.next(false).host;
    p.onConnected();
    expect(p.next(true).host).not.toEqual(a);
  });

  it('shuffle keeps every element (seeded)', () => {
    for (let seed = 0; seed < 50; seed++) {
      expect(shuffle([1, 2, 3, 4, 5], seeded(seed)).sort()).toEqual([1, 2, 3, 4, 5]);
    }
  });
});
