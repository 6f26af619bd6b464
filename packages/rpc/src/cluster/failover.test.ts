import { describe, expect, it } from 'vitest';
import { ManualClock, OptionError, seededRandom } from '@paddock/edges';
import { RpcError } from '../call/rpc-error.js';
import { RoundRobinLoadBalance } from '../loadbalance/round-robin.js';
import { RandomLoadBalance } from '../loadbalance/random.js';
import { FakeInvoker, fakes, invocation } from '../loadbalance/testing/fake-invoker.js';
import { LB_SEED, replay } from '../loadbalance/testing/seed.js';
import { FailoverCluster } from './failover.js';
import { capturingLogger, failWith, rejection, taking } from './testing/scripts.js';

const cluster = (extra: Partial<ConstructorParameters<typeof FailoverCluster>[0]> = {}): FailoverCluster =>
  new FailoverCluster({ loadBalance: new RoundRobinLoadBalance(), circuitBreaker: false, ...extra });

describe('failover', () => {
  it('retries a retryable error of an idempotent call on another provider', async () => {
    const [a, b, c] = fakes(1, 1, 1);
    a.behave = failWith('NETWORK');
    expect(await cluster().invoke([a, b, c], invocation())).toBe('b');
    expect([a.calls, b.calls, c.calls]).toEqual([1, 1, 0]);
  });

  it('does not retry a call that is not idempotent', async () => {
    const [a, b] = fakes(1, 1);
    a.behave = failWith('TIMEOUT');
    const e = await rejection(cluster().invoke([a, b], invocation({ idempotent: false })));
    expect(e.code).toBe('TIMEOUT');
    expect(b.calls).toBe(0);
  });

  it('retries a call that is not idempotent only after an attempt that provably never ran', async () => {
    for (const code of ['SHUTTING_DOWN', 'PROVIDER_BUSY', 'CIRCUIT_OPEN'] as const) {
      const [a, b] = fakes(1, 1);
      a.behave = failWith(code);
      expect(await cluster().invoke([a, b], invocation({ idempotent: false })), code).toBe('b');
    }
    const [a, b, c] = fakes(1, 1, 1);
    a.behave = () => Promise.reject(new RpcError('NETWORK', 'not connected to a; was not sent', { notSent: true }));
    b.behave = failWith('NETWORK'); // dropped with the call in flight: it may have run
    const e = await rejection(cluster().invoke([a, b, c], invocation({ idempotent: false })));
    expect(e.code).toBe('NETWORK');
    expect(e.notExecuted).toBe(false);
    expect([a.calls, b.calls, c.calls]).toEqual([1, 1, 0]);
  });

  it('does not retry an error that is not retryable', async () => {
    for (const code of ['REMOTE_ERROR', 'UNKNOWN_METHOD', 'BAD_REQUEST', 'SERIALIZATION', 'DEADLINE_EXCEEDED'] as const) {
      const [a, b] = fakes(1, 1);
      a.behave = failWith(code);
      expect((await rejection(cluster().invoke([a, b], invocation()))).code).toBe(code);
      expect(b.calls).toBe(0);
    }
  });

  it('stops retrying at the first non-retryable error', async () => {
    const [a, b, c] = fakes(1, 1, 1);
    a.behave = failWith('NETWORK');
    b.behave = failWith('REMOTE_ERROR');
    expect((await rejection(cluster().invoke([a, b, c], invocation()))).code).toBe('REMOTE_ERROR');
    expect(c.calls).toBe(0);
  });

  it('makes 1 + retries attempts (default 2), each on a different provider, then throws the last error', async () => {
    const invokers = fakes(1, 1, 1, 1);
    for (const i of invokers) i.behave = failWith('PROVIDER_BUSY');
    const e = await rejection(cluster().invoke(invokers, invocation()));
    expect(e.message).toBe('PROVIDER_BUSY from c');
    expect(invokers.map((i) => i.calls)).toEqual([1, 1, 1, 0]);
  });

  it('never tries the same provider twice in one call while untried ones remain (random balancer, 500 calls)', async () => {
    const invokers = Array.from({ length: 5 }, (_, i) => new FakeInvoker(`p${i}`));
    for (const i of invokers) i.behave = failWith('NETWORK');
    const failover = new FailoverCluster({ loadBalance: new RandomLoadBalance({ random: seededRandom(LB_SEED) }), retries: 4, circuitBreaker: false });
    for (let call = 0; call < 500; call++) {
      const inv = invocation({ args: [call] });
      await rejection(failover.invoke(invokers, inv));
      const touched = invokers.map((i) => i.invocations.filter((x) => x === inv).length);
      expect(touched, replay(`call ${call}`)).toEqual([1, 1, 1, 1, 1]);
    }
  });

  it('goes back to an already tried provider only once every eligible one has been tried', async () => {
    const [a, b] = fakes(1, 1);
    a.behave = failWith('NETWORK');
    b.behave = failWith('NETWORK');
    await rejection(cluster({ retries: 2 }).invoke([a, b], invocation()));
    expect(a.calls + b.calls).toBe(3);
    expect(a.calls).toBeGreaterThanOrEqual(1);
    expect(b.calls).toBeGreaterThanOrEqual(1);
  });

  it('does not start another attempt once the deadline has passed', async () => {
    const clock = new ManualClock(0);
    const invokers = fakes(1, 1, 1, 1, 1, 1);
    for (const i of invokers) i.behave = taking(clock, 400, 'TIMEOUT');
    const e = await rejection(cluster({ clock, retries: 5 }).invoke(invokers, invocation({ deadline: 1000 })));
    // Attempts start at 0, 400, 800; at 1200 the deadline (1000) has passed.
    expect(e.code).toBe('TIMEOUT');
    expect(invokers.reduce((n, i) => n + i.calls, 0)).toBe(3);
  });

  it('sends nothing when the deadline passed before the call', async () => {
    const clock = new ManualClock(5000);
    const [a] = fakes(1);
    const e = await rejection(cluster({ clock }).invoke([a], invocation({ deadline: 5000 })));
    expect(e.code).toBe('TIMEOUT');
    expect(a.calls).toBe(0);
  });

  it('retries: 0 makes one attempt', async () => {
    const [a, b] = fakes(1, 1);
    a.behave = failWith('NETWORK');
    await rejection(cluster({ retries: 0 }).invoke([a, b], invocation()));
    expect(b.calls).toBe(0);
  });

  it('skips unavailable providers, including one whose connection drops during the call', async () => {
    const [a, b, c] = fakes(1, 1, 1);
    b.available = false;
    a.behave = (_inv, self) => {
      self.available = false; // the transport saw the socket close
      return Promise.reject(new RpcError('NETWORK', 'connection closed'));
    };
    const failover = cluster();
    expect(await failover.invoke([a, b, c], invocation())).toBe('c');
    expect(await failover.invoke([a, b, c], invocation())).toBe('c');
    expect([a.calls, b.calls]).toEqual([1, 0]);
  });

  it('fails with NO_PROVIDER when nothing is available', async () => {
    const invokers = fakes(1, 1);
    for (const i of invokers) i.available = false;
    const e = await rejection(cluster().invoke(invokers, invocation()));
    expect(e.code).toBe('NO_PROVIDER');
    expect(e.message).toContain('Greeter.hello');
  });

  it('logs each retry at debug', async () => {
    const [a, b] = fakes(1, 1);
    a.behave = failWith('NETWORK');
    const { logger, lines } = capturingLogger();
    await cluster({ logger }).invoke([a, b], invocation());
    expect(lines).toEqual([
      { level: 'debug', fields: { service: 'Greeter', method: 'hello', attempt: 1, provider: 'b', code: 'NETWORK' }, msg: 'failover: retrying on another provider' },
    ]);
  });

  it('rejects a bad retries option with an OptionError', () => {
    for (const retries of [-1, 1.5, 11]) expect(() => cluster({ retries })).toThrow(OptionError);
  });
});
