import { describe, expect, it } from 'vitest';
import { OptionError } from '@paddock/edges';
import { RoundRobinLoadBalance } from '../loadbalance/round-robin.js';
import { deferred, fakes, invocation, type Deferred } from '../loadbalance/testing/fake-invoker.js';
import { ForkingCluster } from './forking.js';
import { failWith, rejection } from './testing/scripts.js';

const forking = (forks?: number): ForkingCluster =>
  new ForkingCluster({ loadBalance: new RoundRobinLoadBalance(), circuitBreaker: false, ...(forks === undefined ? {} : { forks }) });

describe('forking', () => {
  it('calls `forks` distinct providers in parallel; the first success wins', async () => {
    const invokers = fakes(1, 1, 1);
    const answers: Deferred<unknown>[] = [];
    for (const i of invokers) {
      i.behave = () => {
        const d = deferred<unknown>();
        answers.push(d);
        return d.promise;
      };
    }
    const result = forking(2).invoke(invokers, invocation());
    await Promise.resolve();
    expect(invokers.map((i) => i.calls)).toEqual([1, 1, 0]); // both sent before either answered
    answers[1].resolve('from b');
    expect(await result).toBe('from b');
    answers[0].resolve('from a (late)');
  });

  it('a failure does not win: the other fork answers', async () => {
    const [a, b] = fakes(1, 1);
    a.behave = failWith('NETWORK');
    b.behave = () => Promise.resolve('b answered');
    expect(await forking(2).invoke([a, b], invocation())).toBe('b answered');
  });

  it('fails only when every fork fails, with the first chosen provider’s error', async () => {
    const [a, b, c] = fakes(1, 1, 1);
    a.behave = failWith('TIMEOUT');
    b.behave = failWith('REMOTE_ERROR');
    const e = await rejection(forking(2).invoke([a, b, c], invocation()));
    expect(e.message).toBe('TIMEOUT from a');
    expect(c.calls).toBe(0);
  });

  it('forks to fewer when fewer are eligible (unavailable ones skipped), defaulting to 2', async () => {
    const invokers = fakes(1, 1, 1, 1);
    invokers[1].available = false;
    invokers[3].available = false;
    await forking(4).invoke(invokers, invocation());
    expect(invokers.map((i) => i.calls)).toEqual([1, 0, 1, 0]);
    const more = fakes(1, 1, 1);
    await forking().invoke(more, invocation());
    expect(more.reduce((n, i) => n + i.calls, 0)).toBe(2);
  });

  it('forks: 1 is a single call', async () => {
    const [a, b] = fakes(1, 1);
    a.behave = failWith('NETWORK');
    expect((await rejection(forking(1).invoke([a, b], invocation()))).code).toBe('NETWORK');
    expect(b.calls).toBe(0);
  });

  it('rejects a bad forks option with an OptionError', () => {
    for (const forks of [0, 17, 2.5]) expect(() => forking(forks)).toThrow(OptionError);
  });
});
