import { describe, expect, it } from 'vitest';
import { RoundRobinLoadBalance } from '../loadbalance/round-robin.js';
import { fakes, invocation } from '../loadbalance/testing/fake-invoker.js';
import { FailfastCluster } from './failfast.js';
import { failWith, rejection } from './testing/scripts.js';

describe('failfast', () => {
  it('makes one attempt and passes even a retryable error straight through', async () => {
    const [a, b] = fakes(1, 1);
    a.behave = failWith('NETWORK');
    const failfast = new FailfastCluster({ loadBalance: new RoundRobinLoadBalance(), circuitBreaker: false });
    const e = await rejection(failfast.invoke([a, b], invocation()));
    expect(e.code).toBe('NETWORK');
    expect(b.calls).toBe(0);
    expect(await failfast.invoke([a, b], invocation())).toBe('b');
  });

  it('skips unavailable providers', async () => {
    const [a, b] = fakes(1, 1);
    a.available = false;
    const failfast = new FailfastCluster({ loadBalance: new RoundRobinLoadBalance() });
    for (let i = 0; i < 5; i++) expect(await failfast.invoke([a, b], invocation())).toBe('b');
  });
});
