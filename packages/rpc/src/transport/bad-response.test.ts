import { createServer as createHttpServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, silentLogger, unrefClock } from '@paddock/edges';
import { RpcError } from '../call/rpc-error.js';
import { Heartbeat } from './heartbeat.js';
import { HttpEndpoint } from './http/http-endpoint.js';
import { TcpEndpoint } from './tcp/tcp-endpoint.js';
import { resolveTcpOptions } from './tcp/tcp-options.js';
import { KIND, PREFACE, PREFACE_BYTES } from './tcp/tcp-protocol.js';
import { RawConnection } from './testing/raw-connection.js';
import { rawProvider } from './testing/raw-provider.js';
import { invocation } from './testing/tcp-harness.js';
import { FrameCodec } from './wire/frame-codec.js';

// A provider that answers garbage: the request went out, so the method may have run. The call
// fails BAD_RESPONSE (retryable, may have run), never BAD_REQUEST ("never ran").

const target = { version: '*', group: 'default' };
const codec = new FrameCodec(1024 * 1024, 32);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A tcp "provider" that speaks the preface and answers the first request it reads with `answer`. */
async function garbageTcpProvider(answer: Buffer): Promise<number> {
  const provider = await rawProvider((s) => {
    s.write(PREFACE);
    let read = 0;
    s.on('data', (chunk: Buffer) => {
      const before = read;
      read += chunk.length;
      if (before <= PREFACE_BYTES && read > PREFACE_BYTES) s.write(answer);
    });
  });
  cleanups.push(() => provider.close());
  return provider.port;
}

/** An http "provider" that answers every call with `status`, `type` and `body`. */
async function garbageHttpProvider(status: number, type: string, body: string): Promise<string> {
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': type }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function tcpCall(port: number): Promise<unknown> {
  const clock = new ManualClock(Date.now());
  const endpoint = new TcpEndpoint(`127.0.0.1:${port}`, { host: '127.0.0.1', port }, {
    tcp: resolveTcpOptions({}), clock, logger: silentLogger, heartbeat: new Heartbeat(clock, 10_000, 3), random: () => 0.5,
  });
  cleanups.push(() => endpoint.close());
  await endpoint.ready();
  return endpoint.call(invocation('echo', ['x'], Date.now() + 60_000), target).then(() => null, (e: unknown) => e);
}

async function httpCall(address: string): Promise<unknown> {
  const endpoint = new HttpEndpoint(address, { tcp: resolveTcpOptions({}), clock: unrefClock, logger: silentLogger, random: () => 0.5 });
  cleanups.push(() => endpoint.close());
  return endpoint.call(invocation('echo', ['x'], Date.now() + 60_000), target).then(() => null, (e: unknown) => e);
}

/** What a malformed answer must be: BAD_RESPONSE, retryable for an idempotent method only, as it may have run. */
function expectBadResponse(err: unknown, says: string): void {
  expect(err).toBeInstanceOf(RpcError);
  expect(err).toMatchObject({ code: 'BAD_RESPONSE', retryable: true, notExecuted: false, message: expect.stringContaining(says) });
  expect([RpcError.mayRetry(err, true), RpcError.mayRetry(err, false)]).toEqual([true, false]);
}

describe('a provider that answers garbage', () => {
  it.each([
    ['bytes that do not decode', Buffer.concat([RawConnection.header(2), Buffer.from([0x92, 0x01])]), 'malformed frame'],
    ['a message that is not an array', Buffer.concat([RawConnection.header(1), Buffer.from([0x2a])]), 'not a message array'],
    ['an unknown message kind', codec.encode([99]), 'unexpected message kind 99'],
    ['an answer of the wrong shape', codec.encode([KIND.RESULT, 1, 'x']), 'malformed response'],
    ['an error answer that is no RpcError', codec.encode([KIND.ERROR, 1, 'boom', null]), 'malformed response'],
  ])('tcp: %s fails the call BAD_RESPONSE', async (_what, answer, says) => {
    expectBadResponse(await tcpCall(await garbageTcpProvider(answer)), says);
  });

  it.each([
    ['a body that does not decode', 200, 'application/json', '{not json', 'cannot be decoded'],
    ['an error status without an RpcError', 500, 'application/json', '{"oops":true}', 'with status 500 and no RpcError'],
    ['an html error page from a proxy', 502, 'text/html', '<html>bad gateway</html>', 'cannot be decoded'],
  ])('http: %s fails the call BAD_RESPONSE', async (_what, status, type, body, says) => {
    expectBadResponse(await httpCall(await garbageHttpProvider(status, type, body)), says);
  });
});
