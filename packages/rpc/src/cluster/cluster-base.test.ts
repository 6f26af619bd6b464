import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '@paddock/edges';
import { RpcError } from '../call/rpc-error.js';
import { RoundRobinLoadBalance } from '../loadbalance/round-robin.js';
import { ShortestResponseLoadBalance } from '../loadbalance/shortest-response.js';
import { fakes, invocation } from '../loadbalance/testing/fake-invoker.js';
import { LB_SEED, replay } from '../loadbalance/testing/seed.js';
import { FailfastCluster } from './failfast.js';
import { FailoverCluster } from './failover.js';
import { failWith, rejection, taking } from './testing/scripts.js';

describe('circuit breakers inside a cluster', () => {
  it('sets a failing provider aside after N consecutive faults, probes it once after the cool-down, and takes it back', async () => {
    const clock = new ManualClock(0);
    const [a, b] = fakes(1, 1);
    a.behave = failWith('NETWORK');
    const failfast = new FailfastCluster({ loadBalance: new RoundRobinLoadBalance(), clock, circuitBreaker: { failureThreshold: 3, coolDownMs: 10_000 } });
    const outcomes: string[] = [];
    const run = async (calls: number): Promise<void> => {
      for (let i = 0; i < calls; i++) outcomes.push(String(await failfast.invoke([a, b], invocation()).catch((e: RpcError) => e.code)));
    };
    await run(6); // a fails 3 times (alternating with b), then its circuit opens
    expect(outcomes.splice(0)).toEqual(['NETWORK', 'b', 'NETWORK', 'b', 'NETWORK', 'b']);
    await run(4);
    expect(outcomes.splice(0)).toEqual(['b', 'b', 'b', 'b']);
    clock.advance(10_000);
    a.behave = (_inv, self) => Promise.resolve(self.id); // recovered
    await run(4);
    expect(outcomes.filter((o) => o === 'a').length).toBeGreaterThanOrEqual(1); // the probe, then normal service
    expect(a.calls).toBe(3 + outcomes.filter((o) => o === 'a').length);
  });

  it('a failed probe keeps the provider aside for another cool-down', async () => {
    const clock = new ManualClock(0);
    const [a, b] = fakes(1, 1);
    a.behave = failWith('TIMEOUT');
    const failfast = new FailfastCluster({ loadBalance: new RoundRobinLoadBalance(), clock, circuitBreaker: { failureThreshold: 1, coolDownMs: 1000 } });
    await failfast.invoke([a, b], invocation()).catch(() => undefined);
    clock.advance(1000);
    for (let i = 0; i < 4; i++) await failfast.invoke([a, b], invocation()).catch(() => undefined);
    expect(a.calls).toBe(2); // the first failure and one probe
  });

  it('fails with CIRCUIT_OPEN (retryable) when every available provider is set aside', async () => {
    const clock = new ManualClock(0);
    const invokers = fakes(1, 1);
    for (const i of invokers) i.behave = failWith('NETWORK');
    const failfast = new FailfastCluster({ loadBalance: new RoundRobinLoadBalance(), clock, circuitBreaker: { failureThreshold: 1 } });
    await rejection(failfast.invoke(invokers, invocation()));
    await rejection(failfast.invoke(invokers, invocation()));
    const e = await rejection(failfast.invoke(invokers, invocation()));
    expect(e.code).toBe('CIRCUIT_OPEN');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('Greeter.hello');
  });

  it('does not count remote exceptions against the provider', async () => {
    const [a] = fakes(1);
    a.behave = failWith('REMOTE_ERROR');
    const failfast = new FailfastCluster({ loadBalance: new RoundRobinLoadBalance(), circuitBreaker: { failureThreshold: 1 } });
    for (let i = 0; i < 5; i++) expect((await rejection(failfast.invoke([a], invocation()))).code).toBe('REMOTE_ERROR');
    expect(a.calls).toBe(5);
  });

  it('failover moves on from a provider whose circuit opens mid-call', async () => {
    const clock = new ManualClock(0);
    const [a, b] = fakes(1, 1);
    a.behave = failWith('NETWORK');
    const failover = new FailoverCluster({ loadBalance: new RoundRobinLoadBalance(), clock, circuitBreaker: { failureThreshold: 1 } });
    expect(await failover.invoke([a, b], invocation())).toBe('b');
    for (let i = 0; i < 5; i++) expect(await failover.invoke([a, b], invocation())).toBe('b');
    expect(a.calls).toBe(1);
  });

  it('circuitBreaker: false leaves every provider in play', async () => {
    const [a, b] = fakes(1, 1);
    a.behave = failWith('NETWORK');
    const failfast = new FailfastCluster({ loadBalance: new RoundRobinLoadBalance(), circuitBreaker: false });
    for (let i = 0; i < 20; i++) await failfast.invoke([a, b], invocation()).catch(() => undefined);
    expect(a.calls).toBe(10);
  });
});

describe('response-time stats fed by the cluster', () => {
  it('records elapsed times, and shortest-response then sends everything to the fast provider', async () => {
    const clock = new ManualClock(0);
    const [fast, slow] = fakes(100, 100);
    fast.behave = taking(clock, 5);
    slow.behave = taking(clock, 50);
    const lb = new ShortestResponseLoadBalance({ clock, random: seededRandom(LB_SEED) });
    const failfast = new FailfastCluster({ loadBalance: lb, clock });
    let sequence = '';
    for (let i = 0; i < 200; i++) sequence += (await failfast.invoke([fast, slow], invocation())) === 'a' ? 'F' : 'S';
    expect(lb.stats.averageMs(fast)).toBe(5);
    expect(lb.stats.averageMs(slow)).toBe(50);
    // Until both have samples the unknown one is assumed to be as fast as the known one, so a
    // (weighted) coin decides; from the first call after both are known, only the fast one.
    const bothKnown = Math.max(sequence.indexOf('F'), sequence.indexOf('S'));
    expect(bothKnown, replay(`sequence ${sequence}`)).toBeGreaterThan(0);
    expect(sequence.slice(bothKnown + 1), replay(`sequence ${sequence}`)).toBe('F'.repeat(199 - bothKnown));
  });

  it('counts a timeout as a (slow) response time, other failures not at all', async () => {
    const clock = new ManualClock(0);
    const [a] = fakes(1);
    const lb = new ShortestResponseLoadBalance({ clock });
    const failfast = new FailfastCluster({ loadBalance: lb, clock, circuitBreaker: false });
    a.behave = taking(clock, 300, 'TIMEOUT');
    await rejection(failfast.invoke([a], invocation()));
    a.behave = taking(clock, 1, 'NETWORK');
    await rejection(failfast.invoke([a], invocation()));
    expect(lb.stats.averageMs(a)).toBe(300);
    expect(lb.stats.countOf(a)).toBe(1);
  });
});

describe('deadline', () => {
  it('every cluster refuses to send once the deadline has passed', async () => {
    const clock = new ManualClock(10_000);
    const [a] = fakes(1);
    const failfast = new FailfastCluster({ loadBalance: new RoundRobinLoadBalance(), clock });
    expect((await rejection(failfast.invoke([a], invocation({ deadline: 9_999 })))).code).toBe('TIMEOUT');
    expect(a.calls).toBe(0);
    expect(await failfast.invoke([a], invocation({ deadline: 10_001 }))).toBe('a');
  });
});
