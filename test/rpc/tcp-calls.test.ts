import { beforeAll, describe, expect, it } from 'vitest';
import { RpcError, TRACE_ID, callWith } from '@paddock/rpc';
import { Blocker, Control, Greeter, GreeterWithExtra, Unheard } from './contracts.js';
import { ProviderProcess } from './provider-process.js';
import { useClients, within } from './rpc-harness.js';
import { RICH_VALUES } from './rich-values.js';

const newClient = useClients();
let provider: ProviderProcess;
beforeAll(async () => {
  provider = await ProviderProcess.start({ name: 'main', executes: 2 });
});

async function rejection(p: Promise<unknown>): Promise<RpcError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(RpcError);
  return err as RpcError;
}

describe('calls to a provider in another process over tcp', () => {
  it('calls a method and gets its result', async () => {
    const greeter = newClient().refer(Greeter, { addresses: [provider.address] });
    expect(await greeter.hello('ada')).toBe('hello ada');
    expect(await greeter.whoami()).toEqual({ pid: provider.pid, name: 'main' });
  });

  it('pipelines 2000 concurrent calls on one connection, answered out of order', async () => {
    const client = newClient({ timeout: 30_000 });
    const greeter = client.refer(Greeter, { addresses: [provider.address] });
    const control = client.refer(Control, { addresses: [provider.address] });
    const before = (await control.stats()).connections;
    const n = 2000;
    // Later calls wait less, so answers come back in a different order than the requests left.
    const results = await Promise.all(Array.from({ length: n }, (_, i) => greeter.delayEcho(i, (n - i) % 7)));
    expect(results).toEqual(Array.from({ length: n }, (_, i) => i));
    expect((await control.stats()).connections).toBe(before);
  });

  describe('rich types round-trip and the provider sees the real type', () => {
    const cases = RICH_VALUES;
    it.each(cases)('%s', async (_name, value, ctor) => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address] });
      const back = await greeter.echo(value);
      expect(back).toEqual(value);
      expect((back as object).constructor.name).toBe(ctor === 'BigInt' ? 'BigInt' : ctor);
      const seen = await greeter.describe(value);
      expect(seen.ctor).toBe(ctor);
      expect(seen.isBuffer).toBe(ctor === 'Buffer');
    });

    it('nested: a Map of Sets of Dates inside a plain object, with BigInt and bytes', async () => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address] });
      const value = {
        plain: { a: 1, b: [null, undefined, 'x'] },
        index: new Map([['days', new Set([new Date(0), new Date(86_400_000)])]]),
        total: 12345678901234567890n,
        bytes: new Uint8Array([1, 2, 3]),
      };
      const back = (await greeter.echo(value)) as typeof value;
      expect(back).toEqual(value);
      expect(back.index).toBeInstanceOf(Map);
      expect(back.index.get('days')).toBeInstanceOf(Set);
      expect([...(back.index.get('days') as Set<Date>)][1]).toBeInstanceOf(Date);
      expect(back.plain).not.toBeInstanceOf(Map);
    });
  });

  describe('errors', () => {
    it('a method that throws: RpcError REMOTE_ERROR with the remote name, message and stack', async () => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address] });
      const err = await rejection(greeter.boom('balance 3 < 5'));
      expect(err.code).toBe('REMOTE_ERROR');
      expect(err.message).toBe('balance 3 < 5');
      expect(err.details.remoteName).toBe('InsufficientFunds');
      expect(err.details.remoteStack).toContain('GreeterImpl.boom');
      expect(err.details.provider).toBe(provider.address);
    });

    it('a method that throws an RpcError: its code comes through', async () => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address], circuitBreaker: false });
      const err = await rejection(greeter.fail('BAD_REQUEST', 'amount must be positive'));
      expect(err).toMatchObject({ code: 'BAD_REQUEST', message: 'amount must be positive' });
    });

    it('an unknown service: UNKNOWN_SERVICE naming it', async () => {
      const unheard = newClient().refer(Unheard, { addresses: [provider.address] });
      const err = await rejection(unheard.anything());
      expect(err.code).toBe('UNKNOWN_SERVICE');
      expect(err.message).toBe('service "Unheard" is not exported here (exported: Greeter, Blocker, Control)');
    });

    it('an unknown method: UNKNOWN_METHOD naming it', async () => {
      const greeter = newClient().refer(GreeterWithExtra, { addresses: [provider.address] });
      expect(await greeter.hello('x')).toBe('hello x');
      const err = await rejection(greeter.shout('x'));
      expect(err.code).toBe('UNKNOWN_METHOD');
      expect(err.message).toBe('service Greeter 1.2.0 has no method "shout"');
    });

    it('a version or group no export matches: VERSION_MISMATCH naming both sides', async () => {
      const client = newClient();
      const v2 = client.refer(Greeter, { addresses: [provider.address], version: '^2.0' });
      const err = await rejection(v2.hello('x'));
      expect(err.code).toBe('VERSION_MISMATCH');
      expect(err.message).toBe('service Greeter is exported here as 1.2.0 (group default); none matches version "^2.0" and group "default"');
      const blue = client.refer(Greeter, { addresses: [provider.address], group: 'blue' });
      expect((await rejection(blue.hello('x'))).message).toContain('group "blue"');
      for (const version of ['1.2.0', '*', '~1.2', '>=1.0.0 <2']) {
        expect(await client.refer(Greeter, { addresses: [provider.address], version }).hello(version)).toBe(`hello ${version}`);
      }
    });
  });

  describe('deadlines', () => {
    it('the provider sees the consumer\'s deadline, and the trace id and attachments both ways', async () => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address], timeout: 5000 });
      const before = Date.now();
      const { result, attachments } = await callWith({ attachments: { tenant: 'acme' }, traceId: 'trace-42' }, () => greeter.context());
      const after = Date.now();
      expect(result.deadline).toBeGreaterThanOrEqual(before + 5000);
      expect(result.deadline).toBeLessThanOrEqual(after + 5000);
      expect(result.traceId).toBe('trace-42');
      expect(result.attachments).toEqual({ tenant: 'acme', [TRACE_ID]: 'trace-42' });
      expect(result.version).toBe('1.2.0');
      expect(attachments).toEqual({ 'served-by': 'main', 'trace-seen': 'trace-42' });
    });

    it('a trace id is made when the caller has none', async () => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address] });
      const a = await greeter.context();
      const b = await greeter.context();
      expect(a.traceId).toMatch(/^[0-9a-f]{16}-[0-9a-f]+$/);
      expect(b.traceId).not.toBe(a.traceId);
    });

    it('a call the provider does not finish in time fails at the deadline, and the provider\'s signal aborts then', async () => {
      const client = newClient();
      const greeter = client.refer(Greeter, { addresses: [provider.address], timeout: 200 });
      const control = client.refer(Control, { addresses: [provider.address], timeout: 15_000 });
      const err = await rejection(greeter.waitForAbort('slow-1'));
      // Both ends act at the same deadline: the consumer's timer (TIMEOUT) or the provider's
      // abort reason coming back first (DEADLINE_EXCEEDED).
      expect(['TIMEOUT', 'DEADLINE_EXCEEDED']).toContain(err.code);
      const abort = await control.nextAbort();
      expect(abort).toMatchObject({ label: 'slow-1', code: 'DEADLINE_EXCEEDED' });
      expect(abort.at).toBeGreaterThanOrEqual(abort.deadline);
    });

    it('a per-call timeout from callWith wins over the reference\'s', async () => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address], timeout: 60_000 });
      const { result } = await callWith({ timeout: 1234 }, async () => {
        const before = Date.now();
        const seen = await greeter.context();
        return { seen, before };
      });
      expect(result.seen.deadline - result.before).toBeGreaterThanOrEqual(1234);
      expect(result.seen.deadline - result.before).toBeLessThan(60_000);
    });
  });

  describe('limits', () => {
    it('executes: calls beyond the service\'s limit get PROVIDER_BUSY; freed slots take calls again', async () => {
      const client = newClient({ timeout: 15_000 });
      const blocker = client.refer(Blocker, { addresses: [provider.address], circuitBreaker: false });
      const control = client.refer(Control, { addresses: [provider.address] });
      const a = blocker.block('a');
      const b = blocker.block('b');
      expect((await control.waitBlocked(2)).sort()).toEqual(['a', 'b']);
      const err = await rejection(blocker.block('c'));
      expect(err.code).toBe('PROVIDER_BUSY');
      expect(err.message).toBe('Blocker is running 2 calls, its executes limit; block was not run');
      expect(err.retryable).toBe(true);
      // Other services are not limited by Blocker's executes.
      expect((await control.stats()).running).toBeGreaterThanOrEqual(2);
      await control.release();
      expect(await Promise.all([a, b])).toEqual(['released a', 'released b']);
      const d = blocker.block('d');
      await control.waitBlocked(1);
      await control.release();
      expect(await d).toBe('released d');
    });

    it('a result over the frame bound comes back as FRAME_TOO_LARGE; the connection keeps serving', async () => {
      const big = await ProviderProcess.start({ name: 'small-frames', tcp: { maxFrameBytes: 64 * 1024 } });
      const greeter = newClient({ tcp: { maxFrameBytes: 64 * 1024 } }).refer(Greeter, { addresses: [big.address] });
      expect((await greeter.big(1000)).length).toBe(1000);
      expect((await rejection(greeter.big(100 * 1024))).code).toBe('FRAME_TOO_LARGE');
      expect((await rejection(greeter.echo(Buffer.alloc(100 * 1024)))).code).toBe('FRAME_TOO_LARGE');
      expect(await greeter.hello('still here')).toBe('hello still here');
      expect(await within(big.stop(), 'the provider to stop')).toBe(0);
    });
  });
});
