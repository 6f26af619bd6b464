import { describe, expect, it } from 'vitest';
import { ManualClock, OptionError } from '@paddock/edges';
import { RPC_ERROR_CODES, RpcError } from '../call/rpc-error.js';
import { FakeInvoker } from '../loadbalance/testing/fake-invoker.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { CircuitBreakers, isProviderFault } from './circuit-breakers.js';

describe('CircuitBreaker state machine', () => {
  const fail = (b: CircuitBreaker, now: number): void => b.end(b.begin(now), true, now);
  const succeed = (b: CircuitBreaker, now: number): void => b.end(b.begin(now), false, now);

  it('opens after N consecutive faults; a success in between starts the count again', () => {
    const b = new CircuitBreaker(3, 1000);
    fail(b, 0);
    fail(b, 0);
    succeed(b, 0);
    fail(b, 0);
    fail(b, 0);
    expect(b.state).toBe('closed');
    expect(b.consecutiveFailures).toBe(2);
    fail(b, 5);
    expect(b.state).toBe('open');
    expect(b.canTry(5)).toBe(false);
  });

  it('waits out the cool-down, then lets exactly one probe through', () => {
    const b = new CircuitBreaker(1, 1000);
    fail(b, 100);
    expect(b.canTry(1099)).toBe(false);
    expect(b.canTry(1100)).toBe(true);
    const probe = b.begin(1100);
    expect(b.state).toBe('half-open');
    expect(b.canTry(1100)).toBe(false);
    expect(b.canTry(2099)).toBe(false);
    b.end(probe, false, 1150);
    expect(b.state).toBe('closed');
    expect(b.clean).toBe(true);
    expect(b.canTry(1150)).toBe(true);
  });

  it('a failed probe opens the circuit again for a full cool-down from the failure', () => {
    const b = new CircuitBreaker(1, 1000);
    fail(b, 0);
    const probe = b.begin(1000);
    b.end(probe, true, 1500);
    expect(b.state).toBe('open');
    expect(b.canTry(2499)).toBe(false);
    expect(b.canTry(2500)).toBe(true);
  });

  it('ignores outcomes of calls begun in an earlier state', () => {
    const b = new CircuitBreaker(2, 1000);
    const slow = b.begin(0); // sent while closed
    fail(b, 0);
    fail(b, 0);
    expect(b.state).toBe('open');
    b.end(slow, false, 10); // a late success must not close the circuit
    expect(b.state).toBe('open');
    const probe = b.begin(1000);
    const stale = b.begin(1000); // not a real call path, but a second ticket of the same state
    expect(stale).toBe(probe);
    b.end(slow, false, 1001); // still stale: not the probe
    expect(b.state).toBe('half-open');
    b.end(probe, false, 1002);
    expect(b.state).toBe('closed');
  });

  it('a probe that never answers stops blocking after another cool-down', () => {
    const b = new CircuitBreaker(1, 1000);
    fail(b, 0);
    const lost = b.begin(1000);
    expect(b.canTry(1999)).toBe(false);
    expect(b.canTry(2000)).toBe(true);
    const probe = b.begin(2000);
    b.end(lost, false, 2001); // the lost probe's late answer belongs to the old probe
    expect(b.state).toBe('half-open');
    b.end(probe, false, 2002);
    expect(b.state).toBe('closed');
  });
});

describe('CircuitBreakers (one per provider, manual clock)', () => {
  const setup = (): { clock: ManualClock; breakers: CircuitBreakers; a: FakeInvoker; b: FakeInvoker } => {
    const clock = new ManualClock(0);
    return { clock, breakers: new CircuitBreakers({ failureThreshold: 2, coolDownMs: 5000 }, clock), a: new FakeInvoker('a'), b: new FakeInvoker('b') };
  };
  const fail = (breakers: CircuitBreakers, inv: FakeInvoker): void => breakers.end(inv, breakers.begin(inv), true);

  it('excludes a provider while its circuit is open, per provider, until the cool-down passes', () => {
    const { clock, breakers, a, b } = setup();
    fail(breakers, a);
    expect(breakers.excludes(a)).toBe(false);
    fail(breakers, a);
    expect(breakers.stateOf(a)).toBe('open');
    expect(breakers.excludes(a)).toBe(true);
    expect(breakers.excludes(b)).toBe(false);
    clock.advance(4999);
    expect(breakers.excludes(a)).toBe(true);
    clock.advance(1);
    expect(breakers.excludes(a)).toBe(false);
    const probe = breakers.begin(a);
    expect(breakers.stateOf(a)).toBe('half-open');
    expect(breakers.excludes(a)).toBe(true); // the single probe is out
    breakers.end(a, probe, false);
    expect(breakers.stateOf(a)).toBe('closed');
    expect(breakers.tracked).toBe(0); // clean breakers are dropped
  });

  it('keeps nothing for healthy providers', () => {
    const { breakers, a } = setup();
    for (let i = 0; i < 10; i++) breakers.end(a, breakers.begin(a), false);
    expect(breakers.tracked).toBe(0);
  });

  it('counts provider faults only: retryable codes except CIRCUIT_OPEN', () => {
    const faults = RPC_ERROR_CODES.filter((code) => isProviderFault(new RpcError(code)));
    expect(faults.sort()).toEqual(['BAD_RESPONSE', 'NETWORK', 'PROVIDER_BUSY', 'SHUTTING_DOWN', 'TIMEOUT'].sort());
    expect(isProviderFault(new Error('plain'))).toBe(false);
  });

  it('rejects nonsense options with an OptionError', () => {
    expect(() => new CircuitBreakers({ failureThreshold: 0 })).toThrow(OptionError);
    expect(() => new CircuitBreakers({ coolDownMs: -1 })).toThrow(/coolDownMs/);
  });
});
