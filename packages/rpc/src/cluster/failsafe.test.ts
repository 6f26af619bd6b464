import { describe, expect, it } from 'vitest';
import { RpcError } from '../call/rpc-error.js';
import { RoundRobinLoadBalance } from '../loadbalance/round-robin.js';
import { fakes, invocation } from '../loadbalance/testing/fake-invoker.js';
import { FailsafeCluster } from './failsafe.js';
import { capturingLogger, failWith } from './testing/scripts.js';

describe('failsafe', () => {
  it('swallows a failure, resolves to undefined and logs it at warn', async () => {
    const [a] = fakes(1);
    a.behave = failWith('REMOTE_ERROR');
    const { logger, lines } = capturingLogger();
    const failsafe = new FailsafeCluster({ loadBalance: new RoundRobinLoadBalance(), logger });
    expect(await failsafe.invoke([a], invocation())).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0].level).toBe('warn');
    expect(lines[0].fields.service).toBe('Greeter');
    expect((lines[0].fields.err as RpcError).code).toBe('REMOTE_ERROR');
  });

  it('swallows no-provider and deadline failures too, and does not retry', async () => {
    const [a, b] = fakes(1, 1);
    a.available = false;
    b.available = false;
    const failsafe = new FailsafeCluster({ loadBalance: new RoundRobinLoadBalance() });
    expect(await failsafe.invoke([a, b], invocation())).toBeUndefined();
    b.available = true;
    expect(await failsafe.invoke([a, b], invocation({ deadline: 0 }))).toBeUndefined();
    expect(b.calls).toBe(0);
  });

  it('returns the result when the call succeeds', async () => {
    const [a] = fakes(1);
    expect(await new FailsafeCluster({ loadBalance: new RoundRobinLoadBalance() }).invoke([a], invocation())).toBe('a');
  });
});
