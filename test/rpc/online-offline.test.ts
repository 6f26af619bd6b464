import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { Registry, type Subscription } from '@paddock/registry';
import { RpcClient, RpcServer, Service } from '@paddock/rpc';
import { startPaddock } from '../support/paddock.js';
import { listed, within } from './rpc-harness.js';

/** A provider that says who it is, and holds a call until the test lets it go. */
abstract class Who {
  abstract name(): Promise<string>;
  abstract hold(tag: string): Promise<string>;
}
Service({ name: 'Who', version: '1.0.0', methods: ['name', 'hold'] })(Who);

class WhoImpl extends Who {
  readonly held = new Map<string, () => void>();
  constructor(private readonly me: string) {
    super();
  }
  async name(): Promise<string> {
    return this.me;
  }
  hold(tag: string): Promise<string> {
    return new Promise((resolve) => this.held.set(tag, () => resolve(`${this.me} ${tag}`)));
  }
}

describe('RpcServer offline() / online() with a registry', () => {
  let coord: Awaited<ReturnType<typeof startPaddock>>;
  let zk: CoordClient;
  let counter = 0;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    coord = await startPaddock();
    zk = await CoordClient.connect(coord.connectString);
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await zk?.close();
    await coord?.stop();
  });

  /** A registry on a root of the test's own, two providers a and b on it, and a consumer's subscription. */
  async function setUp(): Promise<{ root: string; registry: Registry; a: RpcServer; b: RpcServer; implA: WhoImpl; sub: Subscription }> {
    const root = `/onoff${++counter}-${process.pid}/services`;
    const registry = await Registry.connect(coord.connectString, { root, sessionTimeout: 4000 });
    cleanups.push(() => registry.close());
    const start = async (impl: WhoImpl): Promise<RpcServer> => {
      const server = await RpcServer.start({ registry, host: '127.0.0.1', port: 0 });
      cleanups.push(() => server.close());
      await server.export(impl);
      return server;
    };
    const implA = new WhoImpl('a');
    const [a, b] = [await start(implA), await start(new WhoImpl('b'))];
    const sub = await registry.discover('Who');
    cleanups.push(() => sub.close());
    await listed(sub, 'both providers', (l) => l.length === 2);
    return { root, registry, a, b, implA, sub };
  }

  it('offline unregisters (znode gone, consumers stop picking it) while direct calls go on; online registers the same URL again', async () => {
    const { root, registry, a, sub } = await setUp();
    const urlsBefore = (await zk.getChildren(`${root}/Who/providers`)).sort();
    const client = new RpcClient({ registry });
    cleanups.push(() => client.close());
    const who = client.refer(Who, { loadbalance: 'round-robin' });
    const direct = new RpcClient();
    cleanups.push(() => direct.close());
    const toA = direct.refer(Who, { addresses: [a.address] });

    await a.offline();
    expect(a.isOnline).toBe(false);
    expect(await zk.getChildren(`${root}/Who/providers`)).toHaveLength(1);
    await listed(sub, 'only b', (l) => l.length === 1 && l[0]?.port !== a.port);
    const names = [];
    for (let i = 0; i < 20; i++) names.push(await who.name());
    expect(new Set(names)).toEqual(new Set(['b']));
    expect(await toA.name()).toBe('a');

    await a.offline(); // idempotent
    await a.online();
    expect(a.isOnline).toBe(true);
    expect((await zk.getChildren(`${root}/Who/providers`)).sort()).toEqual(urlsBefore);
    await listed(sub, 'a back', (l) => l.length === 2);
    const back = [];
    for (let i = 0; i < 20; i++) back.push(await who.name());
    expect(new Set(back)).toEqual(new Set(['a', 'b']));
    await a.online(); // idempotent
    expect(await zk.getChildren(`${root}/Who/providers`)).toHaveLength(2);
  });

  it('a call in flight at offline() finishes; an export made offline is registered only by online()', async () => {
    const { root, a, implA } = await setUp();
    const direct = new RpcClient();
    cleanups.push(() => direct.close());
    const call = direct.refer(Who, { addresses: [a.address] }).hold('t1');
    await within((async () => { while (!implA.held.has('t1')) await new Promise((r) => setImmediate(r)); })(), 'the call to arrive');
    await a.offline();
    implA.held.get('t1')?.();
    expect(await call).toBe('a t1');

    @Service({ name: 'Late', version: '1.0.0', methods: ['name'] })
    class Late {
      async name(): Promise<string> {
        return 'late';
      }
    }
    const handle = await a.export(new Late());
    expect(handle.url).toBeNull();
    await expect(zk.exists(`${root}/Late/providers`)).resolves.toBeNull();
    await a.online();
    expect(handle.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+\/Late\?/);
    expect(await zk.getChildren(`${root}/Late/providers`)).toHaveLength(1);
  });

  it('refuses offline() and online() once shut down, saying why', async () => {
    const { a } = await setUp();
    await a.close();
    await expect(a.offline()).rejects.toThrow('the provider is shutting down or closed; it cannot go offline');
    await expect(a.online()).rejects.toThrow('the provider is shutting down or closed; it cannot go online');
  });
});
