import { describe, expect, it } from 'vitest';
import { ManualClock } from '@paddock/edges';
import { Service, serviceDefinition } from '../contract/service.js';
import { RpcError } from '../call/rpc-error.js';
import type { Attachments } from '../transport/attachments.js';
import type { Abortable, IncomingCall } from '../transport/transport.js';
import type { WireError } from '../transport/wire/wire-error.js';
import { Dispatcher } from './dispatcher.js';
import { ExportedService } from './exported-service.js';
import { RpcContext } from './rpc-context.js';
import { ServiceTable } from './service-table.js';

type Outcome = { ok: true; result: unknown; attachments: Attachments | null } | { ok: false; error: WireError; attachments: Attachments | null };

class FakeCall implements IncomingCall {
  abortable: Abortable | null = null;
  readonly remoteAddress = '127.0.0.1:5555';
  readonly answered: Promise<Outcome>;
  private settle: (o: Outcome) => void = () => {};

  constructor(
    readonly service: string,
    readonly method: string,
    readonly args: unknown[],
    readonly deadline: number,
    readonly version = '*',
    readonly group = 'default',
    readonly attachments: Attachments = { traceId: 'trace-1' },
  ) {
    this.answered = new Promise((resolve) => { this.settle = resolve; });
  }

  respond(result: unknown, attachments: Attachments | null): void {
    this.settle({ ok: true, result, attachments });
  }

  fail(error: WireError, attachments: Attachments | null): void {
    this.settle({ ok: false, error, attachments });
  }
}

abstract class Greeter {
  abstract hello(name: string): Promise<string>;
  abstract wait(): Promise<string>;
  abstract context(): Promise<unknown>;
  abstract boom(): Promise<never>;
}
Service({ name: 'Greeter', version: '1.2.0', methods: ['hello', 'wait', 'context', 'boom'] })(Greeter);

class GreeterImpl extends Greeter {
  readonly gates: (() => void)[] = [];
  async hello(name: string): Promise<string> {
    return `hi ${name}`;
  }
  wait(): Promise<string> {
    return new Promise((resolve) => this.gates.push(() => resolve('released')));
  }
  async context(): Promise<unknown> {
    const ctx = RpcContext.current() as RpcContext;
    ctx.setAttachment('echo', ctx.attachments.tenant ?? '-');
    return { service: ctx.service, method: ctx.method, version: ctx.version, group: ctx.group, deadline: ctx.deadline, traceId: ctx.traceId, from: ctx.remoteAddress };
  }
  async boom(): Promise<never> {
    throw new RangeError('out of range');
  }
  notInTheContract(): string {
    return 'secret';
  }
}

function setup(executes?: number): { d: Dispatcher; impl: GreeterImpl; clock: ManualClock; table: ServiceTable } {
  const clock = new ManualClock();
  const table = new ServiceTable();
  const impl = new GreeterImpl();
  table.add(new ExportedService(serviceDefinition(Greeter), impl, executes === undefined ? {} : { executes }));
  return { d: new Dispatcher(table, clock, true), impl, clock, table };
}

async function dispatch(d: Dispatcher, call: FakeCall): Promise<Outcome> {
  d.handle(call);
  return call.answered;
}

describe('Dispatcher', () => {
  it('runs the method and answers with its result', async () => {
    const { d, clock } = setup();
    expect(await dispatch(d, new FakeCall('Greeter', 'hello', ['ada'], clock.now() + 1000))).toEqual({ ok: true, result: 'hi ada', attachments: null });
  });

  it.each([
    [['Nope', 'hello', '*', 'default'], 'UNKNOWN_SERVICE', 'service "Nope" is not exported here (exported: Greeter)'],
    [['Greeter', 'nope', '*', 'default'], 'UNKNOWN_METHOD', 'service Greeter 1.2.0 has no method "nope"'],
    [['Greeter', 'notInTheContract', '*', 'default'], 'UNKNOWN_METHOD', 'has no method "notInTheContract"'],
    [['Greeter', 'toString', '*', 'default'], 'UNKNOWN_METHOD', 'has no method "toString"'],
    [['Greeter', 'hello', '^2.0', 'default'], 'VERSION_MISMATCH', 'service Greeter is exported here as 1.2.0 (group default); none matches version "^2.0" and group "default"'],
    [['Greeter', 'hello', '1.2.0', 'blue'], 'VERSION_MISMATCH', 'none matches version "1.2.0" and group "blue"'],
    [['Greeter', 'hello', 'one', 'default'], 'BAD_REQUEST', 'version spec "one" of Greeter is not a version'],
  ])('refuses %j with %s naming what was asked', async ([service, method, version, group], code, message) => {
    const { d, clock } = setup();
    const out = await dispatch(d, new FakeCall(service as string, method as string, [], clock.now() + 1000, version, group));
    expect(out).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(message) } });
  });

  it('accepts exact versions, ranges and "*" that match, and group lists', async () => {
    const { d, clock } = setup();
    for (const [version, group] of [['1.2.0', 'default'], ['^1.0', 'default'], ['>=1.2.0 <2', 'a,default'], ['*', '*']]) {
      const out = await dispatch(d, new FakeCall('Greeter', 'hello', ['x'], clock.now() + 1000, version, group));
      expect(out, `${version} ${group}`).toMatchObject({ ok: true, result: 'hi x' });
    }
  });

  it('refuses a call with more than MAX_ARGUMENTS arguments with BAD_REQUEST naming the count, without running it', async () => {
    const { d, clock } = setup();
    // Spread into the method, a million arguments would overflow the stack (and came back as REMOTE_ERROR).
    const million = new Array<number>(1_000_000).fill(1);
    const out = await dispatch(d, new FakeCall('Greeter', 'hello', million, clock.now() + 1000));
    expect(out).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: 'Greeter.hello was called with 1000000 arguments, more than any method takes (1000); it was not run' } });
    const most = await dispatch(d, new FakeCall('Greeter', 'hello', ['ada', ...new Array<number>(999).fill(0)], clock.now() + 1000));
    expect(most).toMatchObject({ ok: true, result: 'hi ada' });
  });

  it('refuses a call whose deadline passed before it arrived, without running it', async () => {
    const { d, clock } = setup();
    const out = await dispatch(d, new FakeCall('Greeter', 'hello', ['x'], clock.now() - 5));
    expect(out).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED', message: 'Greeter.hello arrived 5 ms after its deadline and was not run' } });
  });

  it('refuses calls beyond the executes limit with PROVIDER_BUSY, and takes them again once one finishes', async () => {
    const { d, impl, clock } = setup(2);
    const a = new FakeCall('Greeter', 'wait', [], clock.now() + 1000);
    const b = new FakeCall('Greeter', 'wait', [], clock.now() + 1000);
    d.handle(a);
    d.handle(b);
    expect(await dispatch(d, new FakeCall('Greeter', 'hello', ['c'], clock.now() + 1000))).toMatchObject({
      ok: false,
      error: { code: 'PROVIDER_BUSY', message: 'Greeter is running 2 calls, its executes limit; hello was not run' },
    });
    impl.gates[0]?.();
    expect(await a.answered).toMatchObject({ ok: true, result: 'released' });
    expect(await dispatch(d, new FakeCall('Greeter', 'hello', ['d'], clock.now() + 1000))).toMatchObject({ ok: true });
    impl.gates[1]?.();
    await b.answered;
    expect(d.running).toBe(0);
  });

  it('refuses everything with SHUTTING_DOWN once refusing', async () => {
    const { d, clock } = setup();
    d.refusing = true;
    expect(await dispatch(d, new FakeCall('Greeter', 'hello', ['x'], clock.now() + 1000))).toMatchObject({ ok: false, error: { code: 'SHUTTING_DOWN' } });
  });

  it('gives the method its context: deadline, trace id, attachments in and out', async () => {
    const { d, clock } = setup();
    const deadline = clock.now() + 1234;
    const out = await dispatch(d, new FakeCall('Greeter', 'context', [], deadline, '^1', 'default', { traceId: 'abc', tenant: 't1' }));
    expect(out).toEqual({
      ok: true,
      result: { service: 'Greeter', method: 'context', version: '1.2.0', group: 'default', deadline, traceId: 'abc', from: '127.0.0.1:5555' },
      attachments: { echo: 't1' },
    });
    expect(RpcContext.current()).toBeUndefined();
  });

  it('sends what the method threw as REMOTE_ERROR with its name, message and stack', async () => {
    const { d, clock } = setup();
    const out = await dispatch(d, new FakeCall('Greeter', 'boom', [], clock.now() + 1000));
    expect(out).toMatchObject({ ok: false, error: { code: 'REMOTE_ERROR', name: 'RangeError', message: 'out of range', stack: expect.stringContaining('GreeterImpl.boom') } });
  });
});

describe('RpcContext signal', () => {
  it('aborts at the deadline with DEADLINE_EXCEEDED, and on abort() with the given reason', async () => {
    const clock = new ManualClock();
    const call = new FakeCall('S', 'm', [], clock.now() + 100);
    const ctx = new RpcContext(call, '1.0.0', 'default', clock);
    const signal = ctx.signal;
    expect(signal.aborted).toBe(false);
    clock.advance(99);
    expect(signal.aborted).toBe(false);
    clock.advance(1);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(RpcError);
    expect((signal.reason as RpcError).code).toBe('DEADLINE_EXCEEDED');

    const other = new RpcContext(new FakeCall('S', 'm', [], clock.now() + 100), '1.0.0', 'default', clock);
    other.abort(new RpcError('NETWORK', 'gone'));
    expect(other.signal.aborted).toBe(true);
    expect((other.signal.reason as RpcError).code).toBe('NETWORK');
  });

  it('costs no timer until asked for, and none after the call finished', () => {
    const clock = new ManualClock();
    const ctx = new RpcContext(new FakeCall('S', 'm', [], clock.now() + 100), '1.0.0', 'default', clock);
    expect(clock.pending).toBe(0);
    void ctx.signal;
    expect(clock.pending).toBe(1);
    ctx.finish();
    expect(clock.pending).toBe(0);
  });

  it('bounds reply attachments', () => {
    const ctx = new RpcContext(new FakeCall('S', 'm', [], 0), '1.0.0', 'default', new ManualClock());
    for (let i = 0; i < 64; i++) ctx.setAttachment(`k${i}`, 'v');
    ctx.setAttachment('k0', 'again');
    expect(() => ctx.setAttachment('k64', 'v')).toThrow('a reply carries at most 64 attachments');
  });
});
