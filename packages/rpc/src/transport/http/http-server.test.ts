import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, unrefClock } from '@paddock/edges';
import { resolveTcpOptions } from '../tcp/tcp-options.js';
import { until } from '../testing/until.js';
import type { IncomingCall } from '../transport.js';
import { HttpServerTransport } from './http-server.js';
import { STATUS_OF_CODE } from './http-protocol.js';
import { RPC_ERROR_CODES } from '../../call/rpc-error.js';

const opened: HttpServerTransport[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});

async function serve(keepAliveMs?: number): Promise<{ transport: HttpServerTransport; calls: IncomingCall[] }> {
  const transport = new HttpServerTransport({ host: '127.0.0.1', port: 0, tcp: resolveTcpOptions(), clock: unrefClock, logger: silentLogger, exposeStack: false, keepAliveMs });
  const calls: IncomingCall[] = [];
  await transport.listen({ handle: (call) => { calls.push(call); } });
  opened.push(transport);
  return { transport, calls };
}

function request(body: string): string {
  return `POST /S/m HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** A raw keep-alive connection, so a test controls exactly which request goes on which socket. */
async function raw(port: number): Promise<{ socket: Socket; text: () => string; closed: () => boolean }> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  socket.on('data', (d: Buffer) => { text += d.toString(); });
  socket.on('close', () => { closed = true; });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, text: () => text, closed: () => closed };
}

describe('http server transport', () => {
  it('every error code has an HTTP status', () => {
    expect(Object.keys(STATUS_OF_CODE).sort()).toEqual([...RPC_ERROR_CODES].sort());
    expect(STATUS_OF_CODE).toMatchObject({ UNKNOWN_SERVICE: 404, UNKNOWN_METHOD: 404, VERSION_MISMATCH: 409, SHUTTING_DOWN: 503, PROVIDER_BUSY: 503, DEADLINE_EXCEEDED: 504, REMOTE_ERROR: 500, BAD_REQUEST: 400, FRAME_TOO_LARGE: 413 });
  });

  it('drain: refuses what arrives, new connections and idle ones alike, stops accepting once they stop coming, finishes the call in flight, then resolves', async () => {
    const { transport, calls } = await serve();
    const conn = await raw(transport.port);
    // A keep-alive connection that has been answered and is idle.
    const idle = await raw(transport.port);
    idle.socket.write(request('[0]'));
    await until(() => calls.length === 1, 'the idle connection\'s call');
    (calls.shift() as IncomingCall).respond('zero', null);
    await until(() => idle.text().endsWith('"zero"'), 'its answer');
    expect(idle.text()).toMatch(/keep-alive: timeout=5/i);
    conn.socket.write(request('[1]'));
    await until(() => calls.length === 1, 'the first call');
    let drained = false;
    const draining = transport.drain().then(() => { drained = true; });
    // A connection made as the drain starts (it may have sat in the kernel's accept queue) is
    // accepted, and its request refused with SHUTTING_DOWN, never run: not reset under it.
    const late = await raw(transport.port);
    late.socket.write(request('[2]'));
    await until(late.closed, 'the late connection to close after its refusal');
    expect(late.text()).toMatch(/^HTTP\/1\.1 503/);
    expect(JSON.parse(late.text().split('\r\n\r\n')[1] as string)).toMatchObject({ code: 'SHUTTING_DOWN' });
    // Once connections stop coming, new ones are refused (provably never run)...
    await until(() => !transport.listening, 'the listener to close');
    const refused = await raw(transport.port).then(() => null, (e: NodeJS.ErrnoException) => e.code);
    expect(refused).toBe('ECONNREFUSED');
    // ...but an idle one is not cut: a request may be on its way on it. One that arrives is refused and the connection closes.
    expect(idle.closed()).toBe(false);
    const before = idle.text().length;
    idle.socket.write(request('[3]'));
    await until(idle.closed, 'the idle connection to close after its refusal');
    const refusal = idle.text().slice(before);
    expect(refusal).toMatch(/^HTTP\/1\.1 503/);
    expect(refusal).toMatch(/connection: close/i);
    expect(JSON.parse(refusal.split('\r\n\r\n')[1] as string)).toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(calls).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    // The call in flight is answered, with draining and connection: close; then the drain ends.
    (calls[0] as IncomingCall).respond('one', { k: 'v' });
    await draining;
    await until(conn.closed, 'the draining connection to close');
    const answer = conn.text();
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('x-rpc-draining: 1');
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain('x-rpc-attachments: {"k":"v"}');
    expect(answer).toMatch(/\r\n\r\n"one"$/);
  });

  it('drain: an idle connection nobody uses ends the drain when the keep-alive timeout reaps it', async () => {
    const { transport, calls } = await serve(200);
    const idle = await raw(transport.port);
    idle.socket.write(request('[0]'));
    await until(() => calls.length === 1, 'the call');
    (calls[0] as IncomingCall).respond('zero', null);
    await until(() => idle.text().endsWith('"zero"'), 'its answer');
    await transport.drain();
    await until(idle.closed, 'the idle connection to be closed by the provider');
  });

  it('a consumer that goes away aborts its call (NETWORK before the deadline)', async () => {
    const { transport, calls } = await serve();
    const conn = await raw(transport.port);
    conn.socket.write(request('[1]'));
    await until(() => calls.length === 1, 'the call');
    const call = calls[0] as IncomingCall;
    let reason: Error | null = null;
    call.abortable = { abort: (r) => { reason = r; } };
    conn.socket.destroy();
    await until(() => reason !== null, 'the abort');
    expect(reason).toMatchObject({ code: 'NETWORK' });
    call.respond('too late', null);
  });

  it('close: calls in flight are aborted and get no answer', async () => {
    const { transport, calls } = await serve();
    const conn = await raw(transport.port);
    conn.socket.write(request('[1]'));
    await until(() => calls.length === 1, 'the call');
    let reason: Error | null = null;
    (calls[0] as IncomingCall).abortable = { abort: (r) => { reason = r; } };
    await transport.close();
    await until(conn.closed, 'the connection to close');
    expect(reason).toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(conn.text()).toBe('');
  });
});
