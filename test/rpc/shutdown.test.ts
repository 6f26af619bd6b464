import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry, parseProviderUrl, type Provider } from '@paddock/registry';
import { RpcError } from '@paddock/rpc';
import { startPaddock } from '../support/paddock.js';
import { Greeter, type Served } from './contracts.js';
import { ProviderProcess } from './provider-process.js';
import { useClients, within } from './rpc-harness.js';

const newClient = useClients();

describe('graceful shutdown under load', () => {
  it('stopping one of two providers in the middle of continuous calls fails none of them', async () => {
    const a = await ProviderProcess.start({ name: 'a' });
    const b = await ProviderProcess.start({ name: 'b' });
    const client = newClient({ timeout: 15_000 });
    // work() is not idempotent: nothing may be retried after it ran; calls are never lost either.
    const greeter = client.refer(Greeter, { addresses: [a.address, b.address], loadbalance: 'round-robin' });
    const served = new Map<string, number>([['a', 0], ['b', 0]]);
    const failures: unknown[] = [];
    let stopping = false;
    let sigtermAt = -1;
    let servedByAAfterSigterm = 0;
    let calls = 0;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stopping; i++) {
        try {
          const r: Served = await greeter.work(3, `${w}-${i}`);
          calls++;
          served.set(r.name, (served.get(r.name) ?? 0) + 1);
          if (r.name === 'a' && sigtermAt >= 0) servedByAAfterSigterm++;
        } catch (err) {
          failures.push(err);
        }
      }
    };
    const workers = Array.from({ length: 32 }, (_, w) => worker(w));
    const waitFor = async (what: string, ok: () => boolean): Promise<void> => {
      await within((async () => { while (!ok() && failures.length === 0) await new Promise((r) => setImmediate(r)); })(), what);
    };
    try {
      await waitFor('both providers to serve', () => (served.get('a') ?? 0) >= 200 && (served.get('b') ?? 0) >= 200);
      sigtermAt = calls;
      const code = await a.stop();
      expect(code).toBe(0);
      expect(a.log).toMatch(/SHUTDOWN after \d+ ms/);
      const afterStop = served.get('b') ?? 0;
      await waitFor('b to carry on alone', () => (served.get('b') ?? 0) >= afterStop + 300);
    } finally {
      stopping = true;
      await Promise.all(workers);
    }
    expect(failures).toEqual([]);
    // Calls that were in flight at a when it was told to stop were finished, not dropped.
    expect(servedByAAfterSigterm).toBeGreaterThan(0);
    await b.stop();
  });

  it('a provider that is gone for good: calls go to the others at once, or NO_PROVIDER when none is left', async () => {
    const a = await ProviderProcess.start({ name: 'a2' });
    const b = await ProviderProcess.start({ name: 'b2' });
    const greeter = newClient().refer(Greeter, { addresses: [a.address, b.address] });
    await greeter.hello('warm');
    await a.stop();
    for (let i = 0; i < 20; i++) expect((await greeter.whoami()).name).toBe('b2');
    await b.stop();
    const err = (await greeter.hello('nobody').then(() => null, (e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('NO_PROVIDER');
  });
});

describe('with a registry', () => {
  let coord: Awaited<ReturnType<typeof startPaddock>>;
  beforeAll(async () => {
    coord = await startPaddock();
  });
  afterAll(async () => {
    await coord.stop();
  });

  it('registers one provider URL per exported service, and unregisters before draining', async () => {
    const root = `/rpc-${process.pid}/services`;
    const provider = await ProviderProcess.start({ name: 'registered', registry: coord.connectString, root, weight: 250, graceMs: 1000 });
    const registry = await Registry.connect(coord.connectString, { root, sessionTimeout: 4000 });
    try {
      const greeters = await registry.discover('Greeter', { version: '^1.0' });
      const blockers = await registry.discover('Blocker');
      const controls = await registry.discover('Control');
      const [g] = greeters.providers as [Provider];
      expect(greeters.providers).toHaveLength(1);
      expect(g).toMatchObject({
        service: 'Greeter', protocol: 'tcp', host: '127.0.0.1', port: provider.port, version: '1.2.0', group: 'default', weight: 250, pid: provider.pid,
      });
      expect(g.methods).toEqual(['hello', 'echo', 'describe', 'whoami', 'work', 'boom', 'fail', 'context', 'waitForAbort', 'big', 'delayEcho']);
      expect(g.timestamp).toBeGreaterThan(0);
      expect(parseProviderUrl(g.url)).toEqual(g);
      expect(blockers.providers.map((p) => p.weight)).toEqual([100]);
      expect(controls.providers).toHaveLength(1);

      // During the grace period the provider is gone from the registry but still serves.
      const gone = new Promise<void>((resolve) => greeters.on('change', (list) => { if (list.length === 0) resolve(); }));
      const greeter = newClient().refer(Greeter, { addresses: [provider.address] });
      const stopped = provider.stop();
      await within(gone, 'the registration to go');
      expect(await greeter.hello('in grace')).toBe('hello in grace');
      expect(await stopped).toBe(0);
      expect(blockers.providers).toEqual([]);
    } finally {
      await registry.close();
    }
  });
});
