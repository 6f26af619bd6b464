import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry, type Provider } from '@paddock/registry';
import { startPaddock } from '../support/paddock.js';
import { Greeter } from './contracts.js';
import { useHttpProviders } from './http-provider-process.js';
import { useClients } from './rpc-harness.js';

const newClient = useClients();
const startProvider = useHttpProviders();

describe('an http provider with a registry', () => {
  let coord: Awaited<ReturnType<typeof startPaddock>>;
  let registry: Registry;
  const root = `/rpc-http-${process.pid}/services`;
  beforeAll(async () => {
    coord = await startPaddock();
    registry = await Registry.connect(coord.connectString, { root, sessionTimeout: 4000 });
  });
  afterAll(async () => {
    await registry.close();
    await coord.stop();
  });

  it('registers http:// provider URLs, and a consumer with the registry calls it over http', async () => {
    const p = await startProvider({ name: 'http-registered', registry: coord.connectString, root });
    const greeters = await registry.discover('Greeter', { version: '^1.0' });
    expect(greeters.providers).toHaveLength(1);
    expect(greeters.providers[0] as Provider).toMatchObject({ protocol: 'http', host: '127.0.0.1', port: p.port, pid: p.pid });
    const greeter = newClient({ registry }).refer(Greeter);
    expect(await greeter.whoami()).toEqual({ pid: p.pid, name: 'http-registered' });
    expect(await greeter.echo(new Map([[1n, new Date(0)]]))).toEqual(new Map([[1n, new Date(0)]]));
    expect(await p.stop()).toBe(0);
  });
});
