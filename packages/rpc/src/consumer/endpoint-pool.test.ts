import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, silentLogger } from '@paddock/edges';
import { parseProviderAddress } from '../transport/table/provider-address.js';
import { resolveTcpOptions } from '../transport/tcp/tcp-options.js';
import { EndpointPool } from './endpoint-pool.js';

// Nothing listens on port 1: the tcp endpoint's connect is refused and it waits for its backoff
// on the manual clock, which never moves.
const pools: EndpointPool[] = [];

function pool(): EndpointPool {
  const p = new EndpointPool({ tcp: resolveTcpOptions(), connections: undefined, clock: new ManualClock(0), logger: silentLogger, random: () => 0.5 });
  pools.push(p);
  return p;
}

afterEach(() => {
  for (const p of pools.splice(0)) p.closeAll();
});

describe('the endpoint pool', () => {
  it('holds one endpoint per provider, however a reference spells it or the registry names it', () => {
    const p = pool();
    const bare = p.acquire(parseProviderAddress('127.0.0.1:1'));
    expect(p.acquire(parseProviderAddress('tcp://127.0.0.1:1/'))).toBe(bare);
    expect(p.acquire({ protocol: 'tcp', host: '127.0.0.1', port: 1 })).toBe(bare);
    expect(bare.address).toBe('127.0.0.1:1');
    const http = p.acquire(parseProviderAddress('HTTP://127.0.0.1:1'));
    expect(http).not.toBe(bare);
    expect(http.address).toBe('http://127.0.0.1:1');
  });

  it('closes an endpoint when it is released as often as it was acquired', () => {
    const p = pool();
    const at = parseProviderAddress('127.0.0.1:1');
    const endpoint = p.acquire(at);
    p.acquire(parseProviderAddress('tcp://127.0.0.1:1'));
    p.release(at);
    expect(endpoint.state).not.toBe('closed');
    expect(p.get(at)).toBe(endpoint);
    p.release(at);
    expect(endpoint.state).toBe('closed');
    expect(p.get(at)).toBeUndefined();
  });
});
