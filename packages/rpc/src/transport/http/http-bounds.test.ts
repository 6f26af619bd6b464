import { createServer, type Server } from 'node:http';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { silentLogger } from '../logger.js';
import { resolveTcpOptions, type TcpOptions } from '../tcp/tcp-options.js';
import { invocation } from '../testing/tcp-harness.js';
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

async function serve(tcp: TcpOptions = {}): Promise<{ transport: HttpServerTransport; calls: IncomingCall[]; base: string }> {
  const transport = new HttpServerTransport({ host: '127.0.0.1', port: 0, tcp: resolveTcpOptions(tcp), clock: systemClock, logger: silentLogger, exposeStack: false });
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

function endpointTo(address: string, tcp: TcpOptions = {}): HttpEndpoint {
  const endpoint = new HttpEndpoint(address, { tcp: resolveTcpOptions(tcp), clock: systemClock, logger: silentLogger, random: () => 0.5 });
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
});
