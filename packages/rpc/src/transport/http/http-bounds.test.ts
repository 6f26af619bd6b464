import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, unrefClock, type Logger } from '@paddock/edges';
import { resolveTcpOptions, type TcpOptions } from '../tcp/tcp-options.js';
import { capturingRpcLogger } from '../testing/capture-logger.js';
import { invocation } from '../testing/tcp-harness.js';
import { until } from '../testing/until.js';
import type { IncomingCall } from '../transport.js';
import { HttpEndpoint } from './http-endpoint.js';
import { HttpServerTransport } from './http-server.js';

const MiB = 1024 * 1024;
const target = { version: '*', group: 'default' };
/** [1 MiB of empty maps]: ~270 MiB once decoded, 33 times over the default bound. */
const EMPTY_MAPS_ARGS = Buffer.concat([Buffer.from([0x91, 0xdd, 0x00, 0x10, 0x00, 0x00]), Buffer.alloc(MiB, 0x80)]);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(tcp: TcpOptions = {}, logger: Logger = silentLogger): Promise<{ transport: HttpServerTransport; calls: IncomingCall[]; base: string }> {
  const transport = new HttpServerTransport({ host: '127.0.0.1', port: 0, tcp: resolveTcpOptions(tcp), clock: unrefClock, logger, exposeStack: false });
  const calls: IncomingCall[] = [];
  await transport.listen({ handle: (call) => { calls.push(call); call.respond(call.args.length, null); } });
  cleanups.push(() => transport.close());
  return { transport, calls, base: `http://127.0.0.1:${transport.port}` };
}

/** An http "provider" that answers every request with `body` as msgpack. */
async function answering(body: Buffer): Promise<string> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/msgpack' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** A raw keep-alive connection: what it has read so far, and whether the provider closed it. */
async function socketTo(port: number): Promise<{ socket: Socket; text: () => string; closed: () => boolean }> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  socket.on('data', (d: Buffer) => { text += d.toString(); });
  socket.on('error', () => undefined);
  socket.on('close', () => { closed = true; });
  cleanups.push(() => { socket.destroy(); });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, text: () => text, closed: () => closed };
}

function endpointTo(address: string, tcp: TcpOptions = {}): HttpEndpoint {
  const endpoint = new HttpEndpoint(address, { tcp: resolveTcpOptions(tcp), clock: unrefClock, logger: silentLogger, random: () => 0.5 });
  cleanups.push(() => endpoint.close());
  return endpoint;
}

describe('http transport: what a peer can make the other side allocate', () => {
  it('answers a msgpack body that would decode past maxDecodeRatio 400 BAD_REQUEST, never handing it over', async () => {
    const { calls, base } = await serve();
    const res = await request(`${base}/Echo/echo`, { method: 'POST', headers: { 'content-type': 'application/msgpack' }, body: EMPTY_MAPS_ARGS });
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^the body was refused before decoding, the call not run: 10\d{5} bytes: it would decode into more than \d+ bytes/),
    });
    expect(calls).toHaveLength(0);
    const ok = await request(`${base}/Echo/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2,3]' });
    expect(await ok.body.json()).toBe(3);
  });

  it('fails a call whose msgpack answer would decode past maxDecodeRatio with SERIALIZATION', async () => {
    const endpoint = endpointTo(await answering(EMPTY_MAPS_ARGS.subarray(1)));
    await expect(endpoint.call(invocation('big', [], Date.now() + 30_000), target)).rejects.toMatchObject({
      code: 'SERIALIZATION',
      message: expect.stringMatching(/^the answer of http:\/\/127\.0\.0\.1:\d+ to Echo\.big \(status 200\) was refused before decoding: 10\d{5} bytes: it would decode/),
    });
  });

  it('fails a call whose answer is over maxFrameBytes with FRAME_TOO_LARGE, without reading it all', async () => {
    const endpoint = endpointTo(await answering(Buffer.alloc(2 * MiB, 0xc0)), { maxFrameBytes: MiB });
    await expect(endpoint.call(invocation('big', [], Date.now() + 30_000), target)).rejects.toMatchObject({
      code: 'FRAME_TOO_LARGE',
      message: expect.stringMatching(/^the answer of http:\/\/127\.0\.0\.1:\d+ to Echo\.big is over maxFrameBytes \(1048576\); it was not read/),
    });
    expect(endpoint.state).toBe('open');
  });

  it('closes connections beyond maxConnections as they arrive, with a warning', async () => {
    const { logger, lines } = capturingRpcLogger();
    const { transport } = await serve({ maxConnections: 1 }, logger);
    const a = await socketTo(transport.port);
    const b = await socketTo(transport.port);
    await until(b.closed, 'the second connection closed');
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(['rpc: connection refused: the provider holds maxConnections (1) connections']);
    a.socket.write('POST /Echo/echo HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: 5\r\n\r\n[1,2]');
    await until(() => a.text().endsWith('2'), 'the first connection\'s answer');
    expect(a.text()).toMatch(/^HTTP\/1.1 200/);
  });

  it('refuses a body that would pass maxBufferedBytes over all requests 503 PROVIDER_BUSY and closes its connection; read bodies give their bytes back', async () => {
    const { logger, lines } = capturingRpcLogger();
    const { transport } = await serve({ maxFrameBytes: 1024, maxBufferedBytes: 2100 }, logger);
    const body = JSON.stringify(['x'.repeat(997)]);
    expect(body.length).toBe(1001);
    const head = `POST /Echo/echo HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`;
    const [a, b, c] = [await socketTo(transport.port), await socketTo(transport.port), await socketTo(transport.port)];
    a.socket.write(head + body.slice(0, 900));
    b.socket.write(head + body.slice(0, 900));
    await until(() => transport.bufferedBytes === 1800, 'two incomplete bodies held');
    c.socket.write(head + body.slice(0, 900));
    await until(c.closed, 'the third connection closed');
    expect(c.text()).toMatch(/^HTTP\/1.1 503/);
    expect(c.text()).toContain('"code":"PROVIDER_BUSY"');
    expect(c.text()).toContain('request bodies being read hold 1800 bytes; 900 more would pass maxBufferedBytes 2100');
    expect(transport.bufferedBytes).toBe(1800);
    for (const raw of [a, b]) {
      raw.socket.write(body.slice(900));
      await until(() => /\r\n\r\n1$/.test(raw.text()), 'an answer');
      expect(raw.text()).toMatch(/^HTTP\/1.1 200/);
    }
    expect(transport.bufferedBytes).toBe(0);
    const d = await socketTo(transport.port);
    d.socket.write(head + body.slice(0, 500));
    await until(() => transport.bufferedBytes === 500, 'd holding 500');
    d.socket.destroy();
    await until(() => transport.bufferedBytes === 0, 'd\'s bytes given back');
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(['rpc: request body refused: request bodies being read hold 1800 bytes; 900 more would pass maxBufferedBytes 2100']);
  });
});
