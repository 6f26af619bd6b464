import { describe, expect, it } from 'vitest';
import { OPTION_ERROR_CODE, OptionError, seededRandom } from '@paddock/edges';
import { ConsistentHashLoadBalance } from './consistent-hash.js';
import { FakeInvoker, invocation } from './testing/fake-invoker.js';
import { LB_SEED, replay, report } from './testing/seed.js';
import type { Invoker } from '../call/invoker.js';

const providers = (n: number, from = 1): FakeInvoker[] =>
  Array.from({ length: n }, (_, i) => new FakeInvoker(`tcp://10.0.0.${from + i}:20880/Greeter`));

const randomKeys = (n: number, seed = LB_SEED): string[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => `user-${Math.floor(random() * 1e9)}`);
};

const mapKeys = (lb: ConsistentHashLoadBalance, invokers: readonly Invoker[], keys: readonly string[]): string[] =>
  keys.map((k) => lb.select(invokers, invocation({ args: [k] }))!.id);

describe('consistent-hash', () => {
  it('sends the same key to the same provider, whatever the list order or consumer', () => {
    const invokers = providers(6);
    const keys = randomKeys(2000);
    const first = mapKeys(new ConsistentHashLoadBalance(), invokers, keys);
    const lb = new ConsistentHashLoadBalance();
    expect(mapKeys(lb, invokers, keys)).toEqual(first);
    expect(mapKeys(lb, invokers, keys)).toEqual(first);
    expect(mapKeys(new ConsistentHashLoadBalance(), [...invokers].reverse(), keys)).toEqual(first);
  });

  it('spreads keys evenly: each of 10 providers holds 1/10 within ±40% (160 virtual nodes)', () => {
    const invokers = providers(10);
    const n = 50_000;
    const owners = mapKeys(new ConsistentHashLoadBalance(), invokers, randomKeys(n));
    const counts = new Map(invokers.map((i) => [i.id.slice(6, -14), owners.filter((o) => o === i.id).length]));
    report('consistent-hash 10 providers', counts, n);
    for (const invoker of invokers) {
      const share = (owners.filter((o) => o === invoker.id).length / n) * 10;
      expect(share, replay(`share×N of ${invoker.id}`)).toBeGreaterThan(0.6);
      expect(share, replay(`share×N of ${invoker.id}`)).toBeLessThan(1.4);
    }
  });

  it('adding one provider to N moves about 1/(N+1) of the keys, all of them to the new one', () => {
    const keys = randomKeys(20_000);
    for (const n of [2, 4, 9, 19]) {
      const invokers = providers(n + 1);
      const lb = new ConsistentHashLoadBalance();
      const before = mapKeys(lb, invokers.slice(0, n), keys);
      const after = mapKeys(lb, invokers, keys);
      let moved = 0;
      for (let i = 0; i < keys.length; i++) {
        if (before[i] === after[i]) continue;
        moved++;
        expect(after[i], replay(`key ${keys[i]} moved between old providers`)).toBe(invokers[n].id);
      }
      // Measured 0.84..1.16 over 20 id sets per size; the bound is about 4 sd of a 160-node arc.
      const ratio = (moved / keys.length) * (n + 1);
      if (process.env.LB_VERBOSE !== undefined) console.log(`consistent-hash ${n}→${n + 1}: moved ${((100 * moved) / keys.length).toFixed(2)}% (ideal ${(100 / (n + 1)).toFixed(2)}%)`);
      expect(ratio, replay(`N=${n}: moved fraction × (N+1)`)).toBeGreaterThan(0.7);
      expect(ratio, replay(`N=${n}: moved fraction × (N+1)`)).toBeLessThan(1.3);
    }
  });

  it('removing a provider moves only its own keys', () => {
    const invokers = providers(8);
    const keys = randomKeys(10_000);
    const lb = new ConsistentHashLoadBalance();
    const before = mapKeys(lb, invokers, keys);
    const gone = invokers[3].id;
    const after = mapKeys(lb, invokers.filter((i) => i.id !== gone), keys);
    for (let i = 0; i < keys.length; i++) if (before[i] !== gone) expect(after[i], replay(`key ${keys[i]}`)).toBe(before[i]);
    expect(after.includes(gone)).toBe(false);
  });

  it('sets aside an unavailable provider as if removed, and takes its keys back when it returns', () => {
    const invokers = providers(5);
    const keys = randomKeys(5000);
    const lb = new ConsistentHashLoadBalance();
    const before = mapKeys(lb, invokers, keys);
    invokers[1].available = false;
    const during = mapKeys(lb, invokers, keys);
    const reference = mapKeys(new ConsistentHashLoadBalance(), invokers.filter((_, i) => i !== 1), keys);
    expect(during).toEqual(reference);
    invokers[1].available = true;
    expect(mapKeys(lb, invokers, keys)).toEqual(before);
  });

  it('walks on clockwise past excluded providers (failover), keeping the others fixed', () => {
    const invokers = providers(4);
    const lb = new ConsistentHashLoadBalance();
    const inv = invocation({ args: ['order-42'] });
    const home = lb.select(invokers, inv)!;
    const next = lb.select(invokers, inv, { excludes: (i) => i.id === home.id })!;
    expect(next.id).not.toBe(home.id);
    expect(lb.select(invokers, inv, { excludes: (i) => i.id === home.id })!.id).toBe(next.id);
    expect(lb.select(invokers, inv)!.id).toBe(home.id);
  });

  it('hashes the chosen arguments only (hashArguments)', () => {
    const invokers = providers(8);
    const lb = new ConsistentHashLoadBalance({ hashArguments: [1, 2] });
    const pick = (args: unknown[]): string => lb.select(invokers, invocation({ args }))!.id;
    const keys = randomKeys(200);
    for (const k of keys) expect(pick(['x', k, 7])).toBe(pick(['y', k, 7]));
    expect(new Set(keys.map((k) => pick([0, 'same', k]))).size).toBeGreaterThan(1);
    expect(lb.keyOf(invocation({ args: ['x', { id: 1 }, 7] }))).toBe('{"id":1}\u00017');
  });

  it('keys objects by their JSON and survives arguments JSON cannot encode', () => {
    const lb = new ConsistentHashLoadBalance();
    expect(lb.keyOf(invocation({ args: [{ a: 1, b: [2] }] }))).toBe('{"a":1,"b":[2]}');
    expect(lb.keyOf(invocation({ args: [10n] }))).toBe('10');
    expect(lb.keyOf(invocation({ args: [] }))).toBe('undefined');
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(lb.keyOf(invocation({ args: [cyclic] }))).toBe('[object Object]');
  });

  it('drops providers not seen for a while from the ring (bounded memory), without changing the mapping', () => {
    const keys = randomKeys(500);
    const lb = new ConsistentHashLoadBalance();
    const current = providers(3);
    mapKeys(lb, providers(3, 100), keys.slice(0, 10));
    const before = mapKeys(lb, current, keys);
    for (let i = 0; i < 9000; i++) lb.select(current, invocation({ args: [keys[i % keys.length]] }));
    expect(lb.ringMembers).toBe(3);
    expect(mapKeys(lb, current, keys)).toEqual(before);
  });

  it('rejects bad hashArguments and hashNodes with an OptionError', () => {
    expect(() => new ConsistentHashLoadBalance({ hashArguments: [] })).toThrow(OptionError);
    expect(() => new ConsistentHashLoadBalance({ hashArguments: [-1] })).toThrow(/hashArguments/);
    expect(() => new ConsistentHashLoadBalance({ hashNodes: 0 })).toThrow(/hashNodes/);
    try {
      new ConsistentHashLoadBalance({ hashNodes: 1.5 });
    } catch (e) {
      expect((e as OptionError).code).toBe(OPTION_ERROR_CODE);
    }
  });
});
