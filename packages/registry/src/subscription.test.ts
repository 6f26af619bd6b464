import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { compileFilter } from './instance-filter.js';
import { parseProviderUrl, type Provider } from './instance-url.js';
import { parseOverrideUrl, type ParsedOverride } from './override.js';
import type { ListStatus, ServiceDirectory } from './service-directory.js';
import { Subscription } from './subscription.js';

/** The part of a ServiceDirectory a subscription reads, driven by the test. */
class FakeDirectory extends EventEmitter<{ change: []; status: [] }> {
  providers: readonly Provider[] = [];
  overrides: readonly ParsedOverride[] = [];
  status: ListStatus = 'live';
  set(ports: number[], version = '1.0.0'): void {
    this.providers = ports.map((p) => parseProviderUrl(`tcp://10.0.0.1:${p}/Greeter?version=${version}`));
    this.emit('change');
  }
}

function subscribe(dir: FakeDirectory, version = '*') {
  let released = 0;
  const sub = new Subscription('Greeter', compileFilter({ version }), dir as unknown as ServiceDirectory, async () => { released++; });
  return { sub, released: () => released };
}

const ports = (l: readonly Provider[]): number[] => l.map((p) => p.port);

describe('Subscription', () => {
  it('filters, applies overrides, and tells only real changes', () => {
    const dir = new FakeDirectory();
    dir.set([1, 2]);
    const { sub } = subscribe(dir);
    const seen: number[][] = [];
    sub.on('change', (l) => seen.push(ports(l)));
    dir.emit('change');
    dir.set([1, 2]);
    expect(seen).toEqual([]);
    dir.overrides = [parseOverrideUrl('override://10.0.0.1:2/Greeter?disabled=true')];
    dir.emit('change');
    dir.overrides = [parseOverrideUrl('override://10.0.0.1:1/Greeter?weight=3')];
    dir.emit('change');
    expect(seen).toEqual([[1], [1, 2]]);
    expect(sub.providers[0]!.weight).toBe(3);
    expect(Object.isFrozen(sub.providers)).toBe(true);
    dir.set([1, 2], '2.0.0');
    const v1 = subscribe(dir, '^1').sub;
    expect(v1.providers).toEqual([]);
  });

  it('reports status changes of its directory', () => {
    const dir = new FakeDirectory();
    const { sub } = subscribe(dir);
    const statuses: ListStatus[] = [];
    sub.on('status', (s) => statuses.push(s));
    dir.status = 'stale';
    dir.emit('status');
    dir.emit('status');
    dir.status = 'live';
    dir.emit('status');
    expect(statuses).toEqual(['stale', 'live']);
  });

  it('iterates the current list, then the latest one after each change, and ends on close', async () => {
    const dir = new FakeDirectory();
    dir.set([1]);
    const { sub, released } = subscribe(dir);
    const it = sub[Symbol.asyncIterator]();
    expect(ports((await it.next()).value as Provider[])).toEqual([1]);
    const waiting = it.next();
    dir.set([1, 2]);
    expect(ports((await waiting).value as Provider[])).toEqual([1, 2]);
    // Falling behind: two changes, one yield with the latest list.
    dir.set([2]);
    dir.set([3]);
    expect(ports((await it.next()).value as Provider[])).toEqual([3]);
    const pending = it.next();
    await sub.close();
    await sub.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(released()).toBe(1);
    dir.set([4]);
    expect(ports(sub.providers)).toEqual([3]);
  });

  it('an iterator ended by break (return) does not stop the others', async () => {
    const dir = new FakeDirectory();
    const { sub } = subscribe(dir);
    const a = sub[Symbol.asyncIterator]();
    const b = sub[Symbol.asyncIterator]();
    await a.next();
    await b.next();
    const pendingA = a.next();
    await a.return!();
    expect((await pendingA).done).toBe(true);
    const pendingB = b.next();
    dir.set([9]);
    expect(ports((await pendingB).value as Provider[])).toEqual([9]);
  });
});
