import { beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { pack, unpack } from 'msgpackr';
import { RpcError, TRACE_ID, callWith } from '@paddock/rpc';
import { Control, Greeter, GreeterWithExtra, Unheard, type SeenContext } from './contracts.js';
import { useHttpProviders, type HttpProvider } from './http-provider-process.js';
import { useClients } from './rpc-harness.js';
import { RICH_VALUES } from './rich-values.js';

const newClient = useClients();
const startProvider = useHttpProviders();
let provider: HttpProvider;
beforeAll(async () => {
  provider = await startProvider({ name: 'http-main' });
});

async function rejection(p: Promise<unknown>): Promise<RpcError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(RpcError);
  return err as RpcError;
}

/** A plain HTTP POST, as curl would send it. */
async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}, base = provider.address) {
  const res = await request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: (): unknown => JSON.parse(text) };
}

describe('calls to a provider in another process over http', () => {
  it('an RpcClient calls it from an http:// address', async () => {
    const greeter = newClient().refer(Greeter, { addresses: [provider.address] });
    expect(await greeter.hello('ada')).toBe('hello ada');
    expect(await greeter.whoami()).toEqual({ pid: provider.pid, name: 'http-main' });
  });

  it('a plain HTTP request with a JSON body calls a service (what curl does)', async () => {
    const res = await post('/Greeter/hello', '["ada"]');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toBe('hello ada');
    const echoed = await post('/Greeter/echo', JSON.stringify([{ a: [1, 'x', null], b: { c: true } }]));
    expect(echoed.json()).toEqual({ a: [1, 'x', null], b: { c: true } });
  });

  it('a plain HTTP request with a msgpack body gets msgpack back', async () => {
    const res = await request(`${provider.address}/Greeter/echo`, { method: 'POST', headers: { 'content-type': 'application/msgpack' }, body: pack([[1, 'two', { three: 3 }]]) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/msgpack');
    expect(unpack(Buffer.from(await res.body.arrayBuffer()))).toEqual([1, 'two', { three: 3 }]);
  });

  describe('rich types round-trip over msgpack and the provider sees the real type', () => {
    const cases = RICH_VALUES;
    it.each(cases)('%s', async (_name, value, ctor) => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address] });
      const back = await greeter.echo(value);
      expect(back).toEqual(value);
      expect((back as object).constructor.name).toBe(ctor);
      const seen = await greeter.describe(value);
      expect(seen.ctor).toBe(ctor);
      expect(seen.isBuffer).toBe(ctor === 'Buffer');
    });

    it('nested: a Map of Sets of Dates inside a plain object, with BigInt and bytes', async () => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address] });
      const value = { plain: { a: 1, b: [null, 'x'] }, index: new Map([['days', new Set([new Date(0), new Date(86_400_000)])]]), total: 12345678901234567890n, bytes: new Uint8Array([1, 2, 3]) };
      const back = (await greeter.echo(value)) as typeof value;
      expect(back).toEqual(value);
      expect(back.index.get('days')).toBeInstanceOf(Set);
      expect(back.plain).not.toBeInstanceOf(Map);
    });

    it('a BigInt result asked for as JSON: SERIALIZATION (500), naming msgpack', async () => {
      const res = await post('/Greeter/echo', '[1]', {});
      expect(res.json()).toBe(1);
      // JSON cannot carry a BigInt: a 64-bit integer sent as msgpack is one on the provider.
      const big = await request(`${provider.address}/Greeter/echo`, { method: 'POST', headers: { 'content-type': 'application/msgpack', accept: 'application/json' }, body: pack([2n ** 40n]) });
      expect(big.statusCode).toBe(500);
      expect(await big.body.json()).toMatchObject({ code: 'SERIALIZATION' });
    });
  });

  describe('errors: status and RpcError code naming what was asked', () => {
    it('unknown service: 404 UNKNOWN_SERVICE, over plain HTTP and through a client', async () => {
      const res = await post('/Unheard/anything', '[]');
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ code: 'UNKNOWN_SERVICE', name: 'RpcError', message: 'service "Unheard" is not exported here (exported: Greeter, Blocker, Control)' });
      const err = await rejection(newClient().refer(Unheard, { addresses: [provider.address] }).anything());
      expect(err.code).toBe('UNKNOWN_SERVICE');
      expect(err.message).toContain('"Unheard"');
      expect(err.details.provider).toBe(provider.address);
    });

    it('unknown method: 404 UNKNOWN_METHOD', async () => {
      const res = await post('/Greeter/shout', '["x"]');
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ code: 'UNKNOWN_METHOD', message: 'service Greeter 1.2.0 has no method "shout"' });
      const err = await rejection(newClient().refer(GreeterWithExtra, { addresses: [provider.address] }).shout('x'));
      expect(err.code).toBe('UNKNOWN_METHOD');
    });

    it('version or group no export matches: 409 VERSION_MISMATCH, by header or by query', async () => {
      const byHeader = await post('/Greeter/hello', '["x"]', { 'x-rpc-version': '^2.0' });
      expect(byHeader.status).toBe(409);
      expect(byHeader.json()).toMatchObject({ code: 'VERSION_MISMATCH', message: 'service Greeter is exported here as 1.2.0 (group default); none matches version "^2.0" and group "default"' });
      const byQuery = await post('/Greeter/hello?group=blue', '["x"]');
      expect(byQuery.status).toBe(409);
      expect(byQuery.json()).toMatchObject({ code: 'VERSION_MISMATCH' });
      expect((byQuery.json() as { message: string }).message).toContain('group "blue"');
      expect((await post('/Greeter/hello?version=~1.2', '["q"]')).json()).toBe('hello q');
      const err = await rejection(newClient().refer(Greeter, { addresses: [provider.address], version: '^2.0' }).hello('x'));
      expect(err.code).toBe('VERSION_MISMATCH');
    });

    it('a method that throws: 500 REMOTE_ERROR with name, message and stack', async () => {
      const res = await post('/Greeter/boom', '["balance 3 < 5"]');
      expect(res.status).toBe(500);
      expect(res.json()).toMatchObject({ code: 'REMOTE_ERROR', name: 'InsufficientFunds', message: 'balance 3 < 5' });
      const err = await rejection(newClient().refer(Greeter, { addresses: [provider.address] }).boom('no'));
      expect(err).toMatchObject({ code: 'REMOTE_ERROR', message: 'no' });
      expect(err.details.remoteName).toBe('InsufficientFunds');
      expect(err.details.remoteStack).toContain('GreeterImpl.boom');
    });

    it('a method throwing RpcError PROVIDER_BUSY: 503, retryable', async () => {
      const res = await post('/Greeter/fail', '["PROVIDER_BUSY","full"]');
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ code: 'PROVIDER_BUSY', message: 'full' });
    });

    it('malformed JSON or msgpack, a non-array body, a wrong content type, a wrong route: 400/404 BAD_REQUEST, and the provider serves on', async () => {
      const cases: [string, string | Buffer, Record<string, string>, number][] = [
        ['/Greeter/hello', '["ada"', {}, 400],
        ['/Greeter/hello', '{"who":"ada"}', {}, 400],
        ['/Greeter/hello', '', {}, 400],
        ['/Greeter/hello', Buffer.from([0xc1, 0xff, 0x00]), { 'content-type': 'application/msgpack' }, 400],
        ['/Greeter/hello', Buffer.from([0x93, 0x01]), { 'content-type': 'application/msgpack' }, 400],
        ['/Greeter/hello', '["ada"]', { 'content-type': 'text/plain' }, 400],
        ['/Greeter/hello', '["ada"]', { 'x-rpc-timeout': 'soon' }, 400],
        ['/Greeter/hello', '["ada"]', { 'x-rpc-attachments': '{not json' }, 400],
        ['/Greeter', '["ada"]', {}, 404],
      ];
      for (const [path, body, headers, status] of cases) {
        const res = await post(path, body, headers);
        expect({ path, status: res.status }).toEqual({ path, status });
        expect(res.json()).toMatchObject({ code: 'BAD_REQUEST', name: 'RpcError' });
      }
      expect((await post('/Greeter/hello', '["still here"]')).json()).toBe('hello still here');
    });

    it('a body over the bound: 413 FRAME_TOO_LARGE both ways; the provider serves on', async () => {
      const small = await startProvider({ name: 'small-bodies', tcp: { maxFrameBytes: 64 * 1024 } });
      const res = await post('/Greeter/echo', JSON.stringify(['x'.repeat(100 * 1024)]), {}, small.address);
      expect(res.status).toBe(413);
      expect(res.json()).toMatchObject({ code: 'FRAME_TOO_LARGE' });
      const greeter = newClient({ tcp: { maxFrameBytes: 64 * 1024 } }).refer(Greeter, { addresses: [small.address] });
      expect((await greeter.big(1000)).length).toBe(1000);
      const tooBig = await post('/Greeter/big', '[102400]', { 'content-type': 'application/json', accept: 'application/msgpack' }, small.address);
      expect(tooBig.status).toBe(413);
      expect((await rejection(greeter.big(100 * 1024))).code).toBe('FRAME_TOO_LARGE');
      expect((await rejection(greeter.echo(Buffer.alloc(100 * 1024)))).code).toBe('FRAME_TOO_LARGE');
      expect(await greeter.hello('still here')).toBe('hello still here');
      expect(await small.stop()).toBe(0);
    });
  });

  describe('deadlines, trace ids and attachments', () => {
    it('a client: the provider sees its deadline, trace id and attachments; reply attachments come back', async () => {
      const greeter = newClient().refer(Greeter, { addresses: [provider.address], timeout: 5000 });
      const before = Date.now();
      const { result, attachments } = await callWith({ attachments: { tenant: 'acme', Mixed: 'Ünïcode ✓' }, traceId: 'trace-42' }, () => greeter.context());
      const after = Date.now();
      expect(result.deadline).toBeGreaterThanOrEqual(before + 5000);
      expect(result.deadline).toBeLessThanOrEqual(after + 5000);
      expect(result.traceId).toBe('trace-42');
      expect(result.attachments).toEqual({ tenant: 'acme', Mixed: 'Ünïcode ✓', [TRACE_ID]: 'trace-42' });
      expect(attachments).toEqual({ 'served-by': 'http-main', 'trace-seen': 'trace-42' });
    });

    it('plain HTTP: an absolute deadline, attachments as one header each and as JSON, the trace id header; reply attachments as JSON', async () => {
      const deadline = Date.now() + 30_000;
      const res = await post('/Greeter/context', '[]', {
        'x-rpc-deadline': String(deadline),
        'x-rpc-attachment-tenant': 'acme',
        'x-rpc-attachments': JSON.stringify({ Region: 'eu' }),
        'x-rpc-trace-id': 'curl-1',
      });
      expect(res.status).toBe(200);
      const seen = res.json() as SeenContext;
      expect(seen.deadline).toBe(deadline);
      expect(seen.traceId).toBe('curl-1');
      expect(seen.attachments).toEqual({ tenant: 'acme', Region: 'eu', [TRACE_ID]: 'curl-1' });
      expect(JSON.parse(res.headers['x-rpc-attachments'] as string)).toEqual({ 'served-by': 'http-main', 'trace-seen': 'curl-1' });
    });

    it('plain HTTP: a remaining-ms timeout header becomes a deadline that far ahead', async () => {
      const before = Date.now();
      const seen = (await post('/Greeter/context', '[]', { 'x-rpc-timeout': '4000' })).json() as SeenContext;
      expect(seen.deadline).toBeGreaterThanOrEqual(before + 4000);
      expect(seen.deadline).toBeLessThanOrEqual(Date.now() + 4000);
    });

    it('a deadline already passed: 504 DEADLINE_EXCEEDED, not run', async () => {
      const res = await post('/Greeter/hello', '["late"]', { 'x-rpc-deadline': String(Date.now() - 1000) });
      expect(res.status).toBe(504);
      expect(res.json()).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    });

    it('a call the provider does not finish in time fails at the deadline, and the provider\'s signal aborts then', async () => {
      const client = newClient();
      const greeter = client.refer(Greeter, { addresses: [provider.address], timeout: 200 });
      const control = client.refer(Control, { addresses: [provider.address], timeout: 15_000 });
      const err = await rejection(greeter.waitForAbort('http-slow-1'));
      expect(['TIMEOUT', 'DEADLINE_EXCEEDED']).toContain(err.code);
      const abort = await control.nextAbort();
      expect(abort).toMatchObject({ label: 'http-slow-1', code: 'DEADLINE_EXCEEDED' });
      expect(abort.at).toBeGreaterThanOrEqual(abort.deadline);
      expect(await greeter.hello('after')).toBe('hello after');
    });
  });
});
