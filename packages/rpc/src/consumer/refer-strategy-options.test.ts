import { afterEach, describe, expect, it } from 'vitest';
import { Service } from '../contract/service.js';
import { RpcClient } from './rpc-client.js';
import type { ReferOptions } from './client-options.js';

// refer() hands warmupMs, forks and hashArguments to the strategies it makes: their checks run at refer time.

abstract class Pinged {
  abstract ping(): Promise<void>;
}
Service({ name: 'Pinged', version: '1.0.0', methods: ['ping'] })(Pinged);

const clients: RpcClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

function client(): RpcClient {
  const c = new RpcClient();
  clients.push(c);
  return c;
}

const addresses = ['127.0.0.1:1'];

describe('refer() passes strategy options through', () => {
  it.each<[ReferOptions, string]>([
    [{ warmupMs: -1 }, 'warmupMs must be a number'],
    [{ loadbalance: 'consistent-hash', hashArguments: [] }, 'hashArguments must be'],
    [{ cluster: 'forking', forks: 0 }, 'forks must be an integer'],
  ])('%j is refused naming the option', (options, message) => {
    expect(() => client().refer(Pinged, { addresses, ...options })).toThrow(message);
  });

  it('accepts them in range', () => {
    const proxy = client().refer(Pinged, { addresses, warmupMs: 60_000, loadbalance: 'consistent-hash', hashArguments: [0], cluster: 'forking', forks: 3 });
    expect(Object.keys(proxy)).toEqual(['ping']);
  });
});
