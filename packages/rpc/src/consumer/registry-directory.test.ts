import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { formatProviderUrl, parseProviderUrl, type Protocol, type Provider } from '@paddock/registry';
import { silentLogger } from '@paddock/edges';
import type { Invocation } from '../call/invocation.js';
import { createLoadBalance } from '../loadbalance/load-balance-table.js';
import { RpcError } from '../call/rpc-error.js';
import { formatProviderAddress, type ProviderAddress } from '../transport/table/provider-address.js';
import type { CallTarget, ClientEndpoint, EndpointEvents, EndpointState } from '../transport/transport.js';
import type { EndpointInvoker } from './endpoint-invoker.js';
import { RegistryDirectory, type EndpointSource, type ProviderDiscovery, type ProviderList } from './registry-directory.js';

// The directory alone, on an in-memory registry and fake endpoints whose calls the test settles.

class FakeEndpoint extends EventEmitter<EndpointEvents> implements ClientEndpoint {
  state: EndpointState = 'open';
  closed = false;
  readonly pending: { resolve: (v: unknown) => void }[] = [];
  private opened: () => void = () => {};
  private readonly first = new Promise<void>((resolve) => { this.opened = resolve; });

  constructor(readonly address: string) {
    super();
  }

  get available(): boolean {
    return this.state === 'open';
  }

  call(_inv: Invocation, _target: CallTarget): Promise<unknown> {
    return new Promise((resolve) => this.pending.push({ resolve }));
  }

  ready(): Promise<void> {
    return this.first;
  }

  connect(): void {
    this.opened();
  }

  setState(state: EndpointState): void {
    this.state = state;
    this.emit('state', state);
  }

  close(): void {
    this.closed = true;
  }
}

class FakePool implements EndpointSource {
  readonly endpoints = new Map<string, FakeEndpoint>();
  readonly acquired = new Map<string, number>();
  readonly refs = new Map<string, number>();

  acquire(at: ProviderAddress): ClientEndpoint {
    const address = formatProviderAddress(at);
    let e = this.endpoints.get(address);
    if (e === undefined || e.closed) {
      e = new FakeEndpoint(address);
      e.connect();
      this.endpoints.set(address, e);
    }
    this.acquired.set(address, (this.acquired.get(address) ?? 0) + 1);
    this.refs.set(address, (this.refs.get(address) ?? 0) + 1);
    return e;
  }

  release(at: ProviderAddress): void {
    const address = formatProviderAddress(at);
    const left = (this.refs.get(address) ?? 0) - 1;
    this.refs.set(address, left);
    if (left === 0) this.endpoints.get(address)?.close();
  }
}

class FakeList extends EventEmitter<{ change: [providers: readonly Provider[]] }> implements ProviderList {
  closed = false;
  constructor(public providers: readonly Provider[]) {
    super();
  }
  set(providers: readonly Provider[]): void {
    this.providers = providers;
    this.emit('change', providers);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

class FakeRegistry implements ProviderDiscovery {
  readonly list = new FakeList([]);
  readonly asked: { service: string; filter: CallTarget }[] = [];
  failures = 0;

  async discover(service: string, filter: CallTarget): Promise<ProviderList> {
    this.asked.push({ service, filter });
    if (this.failures > 0) {
      this.failures--;
      throw new Error('CONNECT_FAILED');
    }
    return this.list;
  }
}

function provider(port: number, opts: { weight?: number; timestamp?: number; protocol?: Protocol } = {}): Provider {
  const url = formatProviderUrl(
    { service: 'Greeter', protocol: opts.protocol ?? 'tcp', host: '127.0.0.1', port, version: '1.2.0', weight: opts.weight ?? 100 },
    { pid: 1, timestamp: opts.timestamp ?? 1_700_000_000_000 },
  );
  return parseProviderUrl(url);
}

const TARGET: CallTarget = { version: '^1.2.0', group: 'default' };
const INV: Invocation = { service: 'Greeter', method: 'hello', args: [], attachments: {}, deadline: 0, idempotent: true };

function setUp(initial: readonly Provider[] = []): { registry: FakeRegistry; pool: FakePool; dir: RegistryDirectory; changes: (readonly unknown[])[] } {
  const registry = new FakeRegistry();
  registry.list.providers = initial;
  const pool = new FakePool();
  const dir = new RegistryDirectory('Greeter', registry, pool, TARGET, silentLogger);
  const changes: (readonly unknown[])[] = [];
  dir.on('change', (list) => changes.push(list));
  return { registry, pool, dir, changes };
}

const byId = (dir: RegistryDirectory, p: Provider): EndpointInvoker | undefined => dir.invokers.find((i) => i.id === p.url);

describe('RegistryDirectory', () => {
  it('subscribes with the reference\'s version and group and maps each provider to an invoker', async () => {
    const a = provider(20001, { weight: 250, timestamp: 1_700_000_000_123 });
    const { registry, dir } = setUp([a]);
    await dir.ready();
    expect(registry.asked).toEqual([{ service: 'Greeter', filter: TARGET }]);
    const [inv] = dir.invokers as [EndpointInvoker];
    expect(inv.id).toBe(a.url);
    expect(inv.weight).toBe(250);
    expect(inv.timestamp).toBe(1_700_000_000_123);
    expect(inv.endpoint.address).toBe('127.0.0.1:20001');
    expect(inv.available).toBe(true);
    expect(Object.isFrozen(dir.invokers)).toBe(true);
  });

  it('keeps invokers and connections of unchanged providers; a new weight is written into the same invoker', async () => {
    const a = provider(20001);
    const b = provider(20002);
    const { registry, pool, dir, changes } = setUp([a]);
    await dir.ready();
    expect(changes).toHaveLength(1); // the first list
    const first = byId(dir, a);
    registry.list.set([a, b]);
    expect(dir.invokers).toHaveLength(2);
    expect(byId(dir, a)).toBe(first);
    registry.list.set([{ ...a, weight: 300 }, b]);
    expect(byId(dir, a)).toBe(first);
    expect(first?.weight).toBe(300);
    expect(changes).toHaveLength(3);
    // The same list again: nothing to tell.
    registry.list.set([{ ...a, weight: 300 }, b]);
    expect(changes).toHaveLength(3);
    expect(pool.acquired.get('127.0.0.1:20001')).toBe(1);
    expect(pool.endpoints.get('127.0.0.1:20001')?.closed).toBe(false);
  });

  it('a removed provider leaves the list at once; its connection is released when its last call finishes', async () => {
    const a = provider(20001);
    const b = provider(20002);
    const { registry, pool, dir } = setUp([a, b]);
    await dir.ready();
    const invA = byId(dir, a) as EndpointInvoker;
    const call = invA.invoke(INV);
    registry.list.set([b]);
    expect(dir.invokers.map((i) => i.id)).toEqual([b.url]);
    const endpoint = pool.endpoints.get('127.0.0.1:20001') as FakeEndpoint;
    expect(endpoint.closed).toBe(false);
    endpoint.pending[0]?.resolve('done');
    expect(await call).toBe('done');
    expect(endpoint.closed).toBe(true);
    // A provider removed with nothing in flight is released at once.
    registry.list.set([]);
    expect(pool.endpoints.get('127.0.0.1:20002')?.closed).toBe(true);
    expect(dir.invokers).toEqual([]);
  });

  it('a dropped connection makes the invoker unavailable at once and tells the cluster, before any registry change', async () => {
    const a = provider(20001);
    const { pool, dir, changes } = setUp([a]);
    await dir.ready();
    const before = changes.length;
    (pool.endpoints.get('127.0.0.1:20001') as FakeEndpoint).setState('backoff');
    expect(changes.length).toBe(before + 1);
    expect(dir.invokers[0]?.available).toBe(false);
  });

  it('picks the transport from the URL\'s protocol and leaves out providers of a protocol it cannot call', async () => {
    const unknown = { ...provider(20003), url: 'grpc://127.0.0.1:20003/Greeter?version=1.2.0', protocol: 'grpc' as Protocol };
    const { dir, pool } = setUp([provider(20001, { protocol: 'http' }), provider(20002), unknown]);
    await dir.ready();
    expect(dir.invokers.map((i) => i.endpoint.address)).toEqual(['http://127.0.0.1:20001', '127.0.0.1:20002']);
    dir.close();
    expect(pool.refs.get('http://127.0.0.1:20001')).toBe(0);
  });

  it('a failed discovery fails ready() with NO_PROVIDER, and the next ready() tries again', async () => {
    const registry = new FakeRegistry();
    registry.failures = 1;
    registry.list.providers = [provider(20001)];
    const dir = new RegistryDirectory('Greeter', registry, new FakePool(), TARGET, silentLogger);
    const err = (await dir.ready().then(() => null, (e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('NO_PROVIDER');
    expect(err.message).toContain('CONNECT_FAILED');
    await dir.ready();
    expect(dir.invokers).toHaveLength(1);
    expect(registry.asked).toHaveLength(2);
  });

  it('close() closes the subscription, releases every connection and ignores later lists', async () => {
    const a = provider(20001);
    const b = provider(20002);
    const { registry, pool, dir } = setUp([a, b]);
    await dir.ready();
    const retired = (byId(dir, a) as EndpointInvoker).invoke(INV);
    registry.list.set([b]);
    dir.close();
    expect(registry.list.closed).toBe(true);
    expect(pool.endpoints.get('127.0.0.1:20001')?.closed).toBe(true);
    expect(pool.endpoints.get('127.0.0.1:20002')?.closed).toBe(true);
    registry.list.set([a, b]);
    expect(dir.invokers).toEqual([]);
    (pool.endpoints.get('127.0.0.1:20001') as FakeEndpoint).pending[0]?.resolve('late');
    expect(await retired).toBe('late');
    expect(pool.refs.get('127.0.0.1:20001')).toBe(0);
  });
});

describe('warm-up from the provider URL\'s timestamp', () => {
  it('a balancer given warmupMs sends a just-started provider a trickle and an old one its full share', async () => {
    const now = 1_800_000_000_000;
    const old = provider(20001, { timestamp: now - 86_400_000 });
    const fresh = provider(20002, { timestamp: now });
    const { dir } = setUp([old, fresh]);
    await dir.ready();
    const lb = createLoadBalance('round-robin', { warmupMs: 600_000, clock: { now: () => now } });
    const picks = new Map<string, number>();
    for (let i = 0; i < 101; i++) {
      const id = lb.select(dir.invokers, INV)?.id as string;
      picks.set(id, (picks.get(id) ?? 0) + 1);
    }
    // Weights 100 and the floor of 1: 100 to 1.
    expect(picks.get(old.url)).toBe(100);
    expect(picks.get(fresh.url)).toBe(1);
  });
});
