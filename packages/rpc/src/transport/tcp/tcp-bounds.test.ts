import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@paddock/edges';
import { capturingRpcLogger } from '../testing/capture-logger.js';
import { RawConnection } from '../testing/raw-connection.js';
import { HeldCalls, invocation, tcpPair } from '../testing/tcp-harness.js';
import { until } from '../testing/until.js';
import { FrameCodec, HEADER_BYTES } from '../wire/frame-codec.js';
import { FrameDecoder } from './frame-decoder.js';
import { Heartbeat } from '../heartbeat.js';
import { TcpEndpoint } from './tcp-endpoint.js';
import { resolveTcpOptions } from './tcp-options.js';
import { KIND, PREFACE } from './tcp-protocol.js';

const target = { version: '*', group: 'default' };
const MiB = 1024 * 1024;
const trusted = new FrameCodec(64 * MiB, 1_000_000);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** msgpack of one value as our encoder writes it (no records: scalars and strings only). */
function bytesOf(value: unknown): Buffer {
  return trusted.encode([value]).subarray(HEADER_BYTES + 1);
}

/** 1 MiB of empty maps: ~270 MiB once decoded, 33 times over the default bound. */
const EMPTY_MAPS = Buffer.concat([Buffer.from([0xdd, 0x00, 0x10, 0x00, 0x00]), Buffer.alloc(MiB, 0x80)]);

/** A length-prefixed frame of a message whose elements are given as msgpack bytes. */
function frameOf(elements: readonly Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from([0x90 | elements.length]), ...elements]);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

async function echoPair(o: Parameters<typeof tcpPair>[1] = {}): Promise<Awaited<ReturnType<typeof tcpPair>> & { held: HeldCalls }> {
  const held = new HeldCalls();
  held.auto = (call) => call.respond(call.args.length, null);
  const pair = await tcpPair(held, o);
  cleanups.push(() => pair.close());
  return Object.assign(pair, { held });
}

async function open(port: number): Promise<RawConnection> {
  const raw = await RawConnection.open(port);
  cleanups.push(() => raw.close());
  return raw;
}

/** A provider that answers each request with `answer(id, n)` (n counts the requests), for consumer-side bounds. */
async function scriptedProvider(answer: (id: number, n: number) => Buffer): Promise<number> {
  const sockets: Socket[] = [];
  let n = 0;
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    s.write(PREFACE);
    const decoder = new FrameDecoder(64 * MiB, {
      onFrame: (body) => {
        const m = trusted.decode(body) as unknown[];
        if (m[0] === KIND.REQUEST) s.write(answer(m[1] as number, n++));
      },
    });
    let preface = 0;
    s.on('data', (chunk: Buffer) => {
      const skip = Math.min(8 - preface, chunk.length);
      preface += skip;
      if (chunk.length > skip) decoder.push(chunk.subarray(skip));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  }));
  return (server.address() as { port: number }).port;
}

describe('tcp transport: what a peer can make the other side allocate', () => {
  it('answers a request that would decode past maxDecodeRatio BAD_REQUEST by its id, unrun, and serves on', async () => {
    const { logger, lines } = capturingRpcLogger();
    const pair = await echoPair({ logger });
    const raw = await open(pair.server.port);
    const request = [KIND.REQUEST, 7, 'Echo', '*', 'default', 'echo'].map(bytesOf);
    raw.sendBytes(frameOf([...request, Buffer.concat([Buffer.from([0x91]), EMPTY_MAPS]), bytesOf(null), bytesOf(Date.now() + 30_000)]));
    const [, id, error] = await raw.nextOf(KIND.ERROR);
    expect(id).toBe(7);
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^request 7 was refused before decoding and not run: 10\d{5} bytes: it would decode into more than \d+ bytes/),
    });
    expect(pair.held.calls).toHaveLength(0);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringContaining('request 7 was refused before decoding')]);
    raw.request(8, { service: 'Echo', method: 'echo', args: ['ok'] });
    expect(await raw.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 8, 1, null]);
  });

  it('closes a connection whose refused frame has no readable id, saying why', async () => {
    const { logger, lines } = capturingRpcLogger();
    const pair = await echoPair({ logger });
    const raw = await open(pair.server.port);
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32BE(EMPTY_MAPS.length, 0);
    raw.sendBytes(Buffer.concat([header, EMPTY_MAPS]));
    await raw.closed;
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringMatching(/^a frame from 127\.0\.0\.1:\d+ was refused before decoding: /)]);
  });

  it('fails a call whose answer would decode past maxDecodeRatio with SERIALIZATION; the connection serves on', async () => {
    const port = await scriptedProvider((id, n) => (n === 0
      ? frameOf([bytesOf(KIND.RESULT), bytesOf(id), EMPTY_MAPS, bytesOf(null)])
      : frameOf([bytesOf(KIND.RESULT), bytesOf(id), bytesOf('fine'), bytesOf(null)])));
    const clock = new ManualClock(Date.now());
    const tcp = resolveTcpOptions({});
    const { logger, lines } = capturingRpcLogger();
    const endpoint = new TcpEndpoint(`127.0.0.1:${port}`, { host: '127.0.0.1', port }, { tcp, clock, logger, heartbeat: new Heartbeat(clock, tcp.heartbeatMs, tcp.heartbeatMisses), random: () => 0.5 });
    cleanups.push(() => endpoint.close());
    await endpoint.ready();
    const first = endpoint.call(invocation('big', [], clock.now() + 60_000), target);
    await expect(first).rejects.toMatchObject({
      code: 'SERIALIZATION',
      message: expect.stringMatching(/^the answer to Echo\.big from provider 127\.0\.0\.1:\d+ was refused before decoding: 10\d{5} bytes: it would decode into more than/),
    });
    expect(lines.some((l) => l.level === 'warn' && l.message.includes('refused before decoding'))).toBe(true);
    expect(await endpoint.call(invocation('small', [], clock.now() + 60_000), target)).toBe('fine');
  });

  it('closes connections beyond maxConnections as they arrive, with a warning; a freed place is taken again', async () => {
    const { logger, lines } = capturingRpcLogger();
    // The pair's own consumer holds one of the two places.
    const pair = await echoPair({ logger, server: { maxConnections: 2 } });
    const a = await open(pair.server.port);
    await until(() => pair.server.connectionCount === 2, 'the second connection accepted');
    const b = await open(pair.server.port);
    await b.closed;
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      expect.objectContaining({ message: 'rpc: connection refused: the provider holds maxConnections (2) connections', fields: expect.objectContaining({ maxConnections: 2, refused: 1 }) }),
    ]);
    a.request(1, { service: 'Echo', method: 'echo', args: [1, 2] });
    expect(await a.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 1, 2, null]);
    a.close();
    await until(() => pair.server.connectionCount === 1, 'the first connection gone');
    const c = await open(pair.server.port);
    c.request(2, { service: 'Echo', method: 'echo', args: [] });
    expect(await c.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 2, 0, null]);
  });

  it('closes a connection whose incomplete frame would pass maxBufferedBytes over all connections; completed frames give their bytes back', async () => {
    const { logger, lines } = capturingRpcLogger();
    const pair = await echoPair({ logger, server: { maxFrameBytes: 1024, maxBufferedBytes: 2100 } });
    const frame = RawConnection.frame([KIND.REQUEST, 1, 'Echo', '*', 'default', 'echo', ['x'.repeat(950)], null, Date.now() + 30_000]);
    expect(frame.length).toBeGreaterThan(950);
    expect(frame.length).toBeLessThanOrEqual(1024 + 4);
    const [a, b, c] = [await open(pair.server.port), await open(pair.server.port), await open(pair.server.port)];
    a.sendBytes(frame.subarray(0, 900));
    b.sendBytes(frame.subarray(0, 900));
    await until(() => pair.server.bufferedBytes === 1800, 'two incomplete frames held');
    c.sendBytes(frame.subarray(0, 900));
    await c.closed;
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(['incomplete frames of all connections hold 1800 bytes; 900 more would pass maxBufferedBytes 2100']);
    expect(pair.server.bufferedBytes).toBe(1800);
    for (const raw of [a, b]) {
      raw.sendBytes(frame.subarray(900));
      expect(await raw.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 1, 1, null]);
    }
    expect(pair.server.bufferedBytes).toBe(0);
    // Bytes held by a connection that goes are given back too.
    const d = await open(pair.server.port);
    d.sendBytes(frame.subarray(0, 500));
    await until(() => pair.server.bufferedBytes === 500, 'd holding 500');
    d.close();
    await until(() => pair.server.bufferedBytes === 0, 'd\'s bytes given back');
  });

  it('stops reading a consumer\'s requests while more than maxFrameBytes of its answers wait unread, and reads again once they drain', async () => {
    const held = new HeldCalls();
    let handled = 0;
    const answer = Buffer.alloc(128 * 1024, 7);
    held.auto = (call) => {
      handled++;
      call.respond(answer, null);
    };
    const pair = await tcpPair(held, { server: { maxFrameBytes: MiB } });
    cleanups.push(() => pair.close());
    // A consumer that sends 400 requests of 1 KB (many socket reads; 50 MiB of answers) and reads nothing.
    const socket = connect({ host: '127.0.0.1', port: pair.server.port });
    cleanups.push(() => { socket.destroy(); });
    socket.pause();
    socket.write(PREFACE);
    const deadline = Date.now() + 60_000;
    for (let id = 1; id <= 400; id++) socket.write(RawConnection.frame([KIND.REQUEST, id, 'Echo', '*', 'default', 'echo', ['x'.repeat(1000)], null, deadline]));
    // Unbounded, all 400 would be read and their 50 MiB of answers queued in the provider.
    await until(() => pair.server.heldBackCount === 1 || handled === 400, 'the connection held back');
    expect(handled).toBeLessThan(400);
    expect(pair.server.heldBackCount).toBe(1);
    // Reading again: every request is read and answered.
    let answers = 0;
    let preface = 0;
    const decoder = new FrameDecoder(64 * MiB, { onFrame: (body) => { if ((trusted.decode(body) as unknown[])[0] === KIND.RESULT) answers++; } });
    socket.on('data', (chunk: Buffer) => {
      const skip = Math.min(8 - preface, chunk.length);
      preface += skip;
      decoder.push(chunk.subarray(skip));
    });
    socket.resume();
    await until(() => answers === 400, 'all 400 answers', 30_000);
    expect(handled).toBe(400);
    expect(pair.server.heldBackCount).toBe(0);
  });
});
