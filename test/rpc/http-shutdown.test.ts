import { describe, expect, it } from 'vitest';
import { RpcError } from '@paddock/rpc';
import { Control, Greeter } from './contracts.js';
import { useHttpProviders } from './http-provider-process.js';
import { useClients, within } from './rpc-harness.js';

const newClient = useClients();
const startProvider = useHttpProviders();

describe('graceful shutdown over http', () => {
  it('a call in flight when the provider is told to stop is answered; the provider then exits 0', async () => {
    const p = await startProvider({ name: 'http-drain' });
    const client = newClient({ timeout: 15_000 });
    const greeter = client.refer(Greeter, { addresses: [p.address] });
    const control = client.refer(Control, { addresses: [p.address] });
    const inFlight = greeter.work(1000, 'in-flight');
    await within((async () => { while ((await control.stats()).running < 2) await new Promise((r) => setImmediate(r)); })(), 'the call to run');
    const stopped = p.stop();
    expect(await inFlight).toMatchObject({ name: 'http-drain', tag: 'in-flight' });
    expect(await stopped).toBe(0);
    const after = await greeter.hello('gone').then(() => null, (e: unknown) => e);
    expect(after).toBeInstanceOf(RpcError);
    expect(['NETWORK', 'SHUTTING_DOWN', 'NO_PROVIDER']).toContain((after as RpcError).code);
  });

  it.each([
    ['idempotent', 'echo'],
    ['not idempotent', 'hello'],
  ] as const)('stopping one of two providers during continuous %s calls fails none of them', async (_, method) => {
    const a = await startProvider({ name: 'ha' });
    const b = await startProvider({ name: 'hb' });
    const client = newClient({ timeout: 15_000 });
    const greeter = client.refer(Greeter, { addresses: [a.address, b.address], loadbalance: 'round-robin', circuitBreaker: false });
    const failures: unknown[] = [];
    let calls = 0;
    let stopping = false;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stopping; i++) {
        try {
          const arg = `${w}-${i}`;
          expect(await (method === 'echo' ? greeter.echo(arg) : greeter.hello(arg))).toBe(method === 'echo' ? arg : `hello ${arg}`);
          calls++;
        } catch (err) {
          failures.push(err);
        }
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    const waitFor = async (what: string, ok: () => boolean): Promise<void> => {
      await within((async () => { while (!ok() && failures.length === 0) await new Promise((r) => setImmediate(r)); })(), what);
    };
    try {
      await waitFor('calls to flow', () => calls >= 300);
      expect(await a.stop()).toBe(0);
      const after = calls;
      await waitFor('b to carry on alone', () => calls >= after + 300);
    } finally {
      stopping = true;
      await Promise.all(workers);
    }
    // A stopped provider cannot be told apart from a slow one until a call to it fails to
    // connect (then its endpoint backs off). Failover retries those calls elsewhere: idempotent
    // ones always, the others because a refused connect or a SHUTTING_DOWN answer proves the
    // method never ran.
    expect(failures).toEqual([]);
    expect(a.log()).toMatch(/SHUTDOWN after \d+ ms/);
    // b drains until its idle keep-alive connections are gone: the consumer's close ends them.
    await client.close();
    expect(await b.stop()).toBe(0);
  });
});
