import { describe, expect, it } from 'vitest';
import { RoundRobinLoadBalance } from '../loadbalance/round-robin.js';
import { fakes, invocation } from '../loadbalance/testing/fake-invoker.js';
import { BroadcastCluster } from './broadcast.js';
import { failWith, rejection } from './testing/scripts.js';

const broadcast = (): BroadcastCluster => new BroadcastCluster({ loadBalance: new RoundRobinLoadBalance(), circuitBreaker: false });

describe('broadcast', () => {
  it('calls every provider and resolves to the last one’s result', async () => {
    const invokers = fakes(1, 1, 1);
    expect(await broadcast().invoke(invokers, invocation())).toBe('c');
    expect(invokers.map((i) => i.calls)).toEqual([1, 1, 1]);
  });

  it('fails if any provider fails, after calling all of them', async () => {
    const invokers = fakes(1, 1, 1);
    invokers[1].behave = failWith('REMOTE_ERROR');
    invokers[2].behave = failWith('NETWORK');
    const e = await rejection(broadcast().invoke(invokers, invocation()));
    expect(e.message).toBe('REMOTE_ERROR from b');
    expect(invokers.map((i) => i.calls)).toEqual([1, 1, 1]);
  });

  it('skips unavailable providers; none available is NO_PROVIDER', async () => {
    const invokers = fakes(1, 1, 1);
    invokers[0].available = false;
    expect(await broadcast().invoke(invokers, invocation())).toBe('c');
    expect(invokers[0].calls).toBe(0);
    for (const i of invokers) i.available = false;
    expect((await rejection(broadcast().invoke(invokers, invocation()))).code).toBe('NO_PROVIDER');
  });
});
