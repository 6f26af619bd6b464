import { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RpcError } from '../../call/rpc-error.js';
import { RawConnection } from '../testing/raw-connection.js';
import { HeldCalls, invocation, tcpPair, type Pair } from '../testing/tcp-harness.js';
import { until } from '../testing/until.js';
import { KIND } from './tcp-protocol.js';

const target = { version: '*', group: 'default' };
let pair: Pair | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await pair?.close();
  pair = null;
});

describe('tcp transport: calls', () => {
  it('pipelines many calls on one connection and matches answers given in any order', async () => {
    const held = new HeldCalls();
    pair = await tcpPair(held);
    const deadline = pair.clientClock.now() + 60_000;
    const n = 500;
    const results = Array.from({ length: n }, (_, i) => pair!.endpoint.call(invocation('echo', [i], deadline), target));
    await until(() => held.calls.length === n, 'all calls at the server');
    // Answer in reverse order.
    for (const call of [...held.calls].reverse()) call.respond((call.args[0] as number) * 2, null);
    expect(await Promise.all(results)).toEqual(Array.from({ length: n }, (_, i) => i * 2));
    expect(pair.server.connectionCount).toBe(1);
  });

  it('corks: the frames a tick produces leave in one writev', async () => {
    const held = new HeldCalls();
    pair = await tcpPair(held);
    const writev = vi.spyOn(Socket.prototype as unknown as { _writev: (chunks: unknown[], cb: () => void) => void }, '_writev');
    const deadline = pair.clientClock.now() + 60_000;
    for (let i = 0; i < 50; i++) void pair.endpoint.call(invocation('echo', [i], deadline), target).catch(() => undefined);
    await until(() => held.calls.length === 50, 'calls at the server');
    const batches = writev.mock.calls.map((c) => (c[0] as unknown[]).length);
    expect(batches).toEqual([50]);
  });

  it('carries the request fields and attachments both ways', async () => {
    const held = new HeldCalls();
    held.auto = (call) => call.respond({ got: [call.service, call.version, call.group, call.method, call.args, call.attachments] }, { reply: 'yes' });
    pair = await tcpPair(held);
    const replies: unknown[] = [];
    const inv = { ...invocation('m', [1, 'two'], pair.clientClock.now() + 1000, 'Svc'), setReplyAttachments: (a: unknown) => replies.push(a) };
    const out = await pair.endpoint.call(inv, { version: '^1.0', group: 'g' });
    expect(out).toEqual({ got: ['Svc', '^1.0', 'g', 'm', [1, 'two'], { traceId: 't' }] });
    expect(replies).toEqual([{ reply: 'yes' }]);
  });

  it('sends attachments as a flat key/value list and reads a __proto__ key as a plain attachment', async () => {
    const held = new HeldCalls();
    pair = await tcpPair(held);
    const raw = await RawConnection.open(pair.server.port);
    raw.send([KIND.REQUEST, 1, 'Svc', '*', 'default', 'm', [], ['__proto__', 'p', 'a', '1', 'a', '2'], Date.now() + 30_000]);
    await until(() => held.calls.length === 1, 'the call at the server');
    const call = held.calls[0]!;
    expect(Object.getPrototypeOf(call.attachments)).toBe(Object.prototype);
    expect(Object.entries(call.attachments)).toEqual([['__proto__', 'p'], ['a', '2']]);
    call.respond('ok', { reply: 'yes', also: 'this' });
    expect(await raw.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 1, 'ok', ['reply', 'yes', 'also', 'this']]);
    raw.close();
  });

  it('fails a call at its deadline with TIMEOUT and ignores the late answer', async () => {
    const held = new HeldCalls();
    pair = await tcpPair(held);
    const late = pair.endpoint.call(invocation('slow', [], pair.clientClock.now() + 100), target);
    await until(() => held.calls.length === 1, 'the call at the server');
    pair.clientClock.advance(100);
    await expect(late).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('Echo.slow got no answer') });
    (held.calls[0] as (typeof held.calls)[0]).respond('too late', null);
    held.auto = (call) => call.respond('fresh', null);
    expect(await pair.endpoint.call(invocation('next', [], pair.clientClock.now() + 1000), target)).toBe('fresh');
  });

  it('times out each call at its own deadline with one timer for the connection', async () => {
    const held = new HeldCalls();
    pair = await tcpPair(held);
    const clock = pair.clientClock;
    const timersBefore = clock.pending;
    const outcomes = new Map<string, string>();
    const start = clock.now();
    for (const [name, after] of [['c', 300], ['a', 100], ['b', 200], ['d', 300]] as const) {
      pair.endpoint.call(invocation(name, [], start + after), target).then(
        (v) => outcomes.set(name, `ok ${String(v)}`),
        (e: RpcError) => outcomes.set(name, `${e.code} at +${clock.now() - start}`),
      );
    }
    await until(() => held.calls.length === 4, 'the calls at the server');
    expect(clock.pending).toBe(timersBefore + 1);
    clock.advance(99);
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes.size).toBe(0);
    clock.advance(1);
    await until(() => outcomes.size === 1, 'a timed out');
    clock.advance(100);
    await until(() => outcomes.size === 2, 'b timed out');
    held.calls.find((c) => c.method === 'd')!.respond('answered', null);
    await until(() => outcomes.size === 3, 'd answered');
    clock.advance(100);
    await until(() => outcomes.size === 4, 'c timed out');
    expect(Object.fromEntries(outcomes)).toEqual({ a: 'TIMEOUT at +100', b: 'TIMEOUT at +200', d: 'ok answered', c: 'TIMEOUT at +300' });
    // Nothing left in flight: the deadline timer is not set again.
    expect(clock.pending).toBe(timersBefore);
  });

  it('refuses a call whose deadline already passed without sending it', async () => {
    const held = new HeldCalls();
    pair = await tcpPair(held);
    await expect(pair.endpoint.call(invocation('x', [], pair.clientClock.now()), target)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(held.calls).toHaveLength(0);
  });

  it('bounds calls in flight on the consumer side (not sent) and on the provider side', async () => {
    const held = new HeldCalls();
    pair = await tcpPair(held, { client: { maxInFlight: 2 }, server: { maxInFlight: 1 } });
    const deadline = pair.clientClock.now() + 60_000;
    const a = pair.endpoint.call(invocation('a', [], deadline), target);
    const b = pair.endpoint.call(invocation('b', [], deadline), target);
    expect(pair.endpoint.available).toBe(false);
    await expect(pair.endpoint.call(invocation('c', [], deadline), target)).rejects.toMatchObject({ code: 'PROVIDER_BUSY', message: expect.stringContaining('was not sent') });
    await expect(b).rejects.toMatchObject({ code: 'PROVIDER_BUSY', message: expect.stringContaining('maxInFlight 1') });
    (held.calls[0] as (typeof held.calls)[0]).respond('a done', null);
    expect(await a).toBe('a done');
    expect(pair.endpoint.available).toBe(true);
  });

  it('refuses a too large request with FRAME_TOO_LARGE before sending; a too large answer becomes that error', async () => {
    const held = new HeldCalls();
    held.auto = (call) => call.respond(Buffer.alloc(call.args[0] as number), null);
    pair = await tcpPair(held, { client: { maxFrameBytes: 1024 }, server: { maxFrameBytes: 1024 } });
    const deadline = pair.clientClock.now() + 60_000;
    await expect(pair.endpoint.call(invocation('big', [Buffer.alloc(2000)], deadline), target)).rejects.toMatchObject({ code: 'FRAME_TOO_LARGE' });
    await expect(pair.endpoint.call(invocation('big', [5000], deadline), target)).rejects.toMatchObject({ code: 'FRAME_TOO_LARGE' });
    expect(await pair.endpoint.call(invocation('small', [10], deadline), target)).toEqual(Buffer.alloc(10));
  });

  it('turns arguments that cannot be encoded into SERIALIZATION, connection intact', async () => {
    const held = new HeldCalls();
    held.auto = (call) => call.respond('ok', null);
    pair = await tcpPair(held);
    const loop: Record<string, unknown> = {};
    loop.loop = loop;
    const deadline = pair.clientClock.now() + 60_000;
    const err = await pair.endpoint.call(invocation('x', [loop], deadline), target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe('SERIALIZATION');
    expect(await pair.endpoint.call(invocation('x', [1], deadline), target)).toBe('ok');
  });

  it('answers bad requests with BAD_REQUEST naming the field, and duplicate ids too', async () => {
    const held = new HeldCalls();
    pair = await tcpPair(held);
    const raw = await RawConnection.open(pair.server.port);
    raw.send([KIND.REQUEST, 7, 'Svc', '*', 'default', 'm', 'not-an-array', null, Date.now()]);
    expect(await raw.nextOf(KIND.ERROR)).toEqual([KIND.ERROR, 7, { code: 'BAD_REQUEST', name: 'RpcError', message: 'bad request 7: args must be an array' }, null]);
    for (const bad of [{ traceId: 't' }, ['odd'], ['n', 1], Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']).flat()]) {
      raw.send([KIND.REQUEST, 8, 'Svc', '*', 'default', 'm', [], bad, Date.now()]);
      expect(((await raw.nextOf(KIND.ERROR))[2] as RpcError).message).toBe('bad request 8: attachments must be null or [key, value, ...] of at most 64 string pairs');
    }
    raw.request(9, { service: 'Svc', method: 'm' });
    raw.request(9, { service: 'Svc', method: 'm' });
    expect(((await raw.nextOf(KIND.ERROR))[2] as RpcError).message).toBe('request id 9 is already in flight on this connection');
    expect(raw.isOpen).toBe(true);
    raw.close();
  });
});
