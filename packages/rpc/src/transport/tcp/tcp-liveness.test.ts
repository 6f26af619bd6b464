import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, silentLogger } from '@paddock/edges';
import { RawConnection } from '../testing/raw-connection.js';
import { HeldCalls, invocation, tcpPair, type Pair } from '../testing/tcp-harness.js';
import { until } from '../testing/until.js';
import { Heartbeat } from '../heartbeat.js';
import { TcpEndpoint } from './tcp-endpoint.js';
import { resolveTcpOptions } from './tcp-options.js';
import { KIND } from './tcp-protocol.js';

const target = { version: '*', group: 'default' };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function track(p: Promise<Pair>): Promise<Pair> {
  const pair = await p;
  cleanups.push(() => pair.close());
  return pair;
}

/** A server that accepts and reads but never writes a byte: a provider that hangs. */
async function blackHole(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    s.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  }));
  return { server, sockets, port: (server.address() as { port: number }).port };
}

describe('tcp transport: heartbeats', () => {
  it('a consumer gives up a silent connection after `misses` intervals: its calls fail NETWORK and the endpoint is unavailable at once', async () => {
    const hole = await blackHole();
    const clock = new ManualClock(Date.now());
    const tcp = resolveTcpOptions({ heartbeatMs: 1000, heartbeatMisses: 3 });
    const endpoint = new TcpEndpoint(`127.0.0.1:${hole.port}`, { host: '127.0.0.1', port: hole.port }, { tcp, clock, logger: silentLogger, heartbeat: new Heartbeat(clock, 1000, 3), random: () => 0.5 });
    cleanups.push(() => endpoint.close());
    await endpoint.ready();
    const states: string[] = [];
    endpoint.on('state', (s) => states.push(s));
    const pending = endpoint.call(invocation('hang', [], clock.now() + 3_600_000), target);
    let settled = false;
    pending.catch(() => undefined).finally(() => { settled = true; });
    clock.advance(1000); // the interval the connection opened in counts as heard from
    clock.advance(1000); // the call was a write, not a read: quiet interval 1, ping
    clock.advance(1000); // quiet interval 2, ping
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(endpoint.available).toBe(true);
    expect(endpoint.connectionNow?.pingsSent).toBe(2);
    clock.advance(1000); // quiet interval 3: dead
    expect(endpoint.available).toBe(false);
    expect(states).toEqual(['backoff']);
    await expect(pending).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('is dead: nothing read for 3 heartbeat intervals of 1000 ms') });
  });

  it('a live pair keeps its connection over many intervals: every ping is answered', async () => {
    const pair = await track(tcpPair(new HeldCalls(), { client: { heartbeatMs: 1000, heartbeatMisses: 2 } }));
    const conn = pair.endpoint.connectionNow!;
    for (let i = 0; i < 10; i++) {
      const read = conn.framesRead;
      const pinged = conn.pingsSent;
      pair.clientClock.advance(1000);
      // A quiet interval sends a ping; the pong makes the next interval count as heard from.
      if (conn.pingsSent > pinged) await until(() => conn.framesRead > read, `pong ${i}`);
    }
    expect(conn.pingsSent).toBe(5);
    expect(conn.closed).toBe(false);
    expect(pair.endpoint.available).toBe(true);
  });

  it('a provider closes a connection whose consumer fell silent', async () => {
    const pair = await track(tcpPair(new HeldCalls(), { server: { heartbeatMs: 500, heartbeatMisses: 2 } }));
    const raw = await RawConnection.open(pair.server.port);
    await until(() => pair.server.connectionCount === 2, 'the raw connection accepted');
    pair.serverClock.advance(500); // the interval the connections opened in
    pair.serverClock.advance(500); // quiet: ping
    expect(await raw.next()).toEqual([KIND.PING]);
    pair.serverClock.advance(500); // quiet again: dead
    await raw.closed;
    // The endpoint's connection was silent too (its clock did not move), so it went the same way.
    expect(pair.server.connectionCount).toBe(0);
  });
});

describe('tcp transport: bad frames close that connection only', () => {
  async function liveCall(pair: Pair, value: number): Promise<unknown> {
    return pair.endpoint.call(invocation('echo', [value], pair.clientClock.now() + 10_000), target);
  }

  it.each([
    ['undecodable bytes', Buffer.concat([RawConnection.header(2), Buffer.from([0x92, 0x01])])],
    ['a message that is not an array', Buffer.concat([RawConnection.header(1), Buffer.from([0x2a])])],
    ['an unknown message kind', Buffer.concat([RawConnection.header(2), Buffer.from([0x91, 0x63])])],
    ['a frame stating 2 GiB', RawConnection.header(0x8000_0000)],
    ['a frame one byte over the bound', RawConnection.header(64 * 1024 + 1)],
  ])('%s', async (_what, bytes) => {
    const held = new HeldCalls();
    held.auto = (call) => call.respond(call.args[0], null);
    const pair = await track(tcpPair(held, { server: { maxFrameBytes: 64 * 1024 } }));
    expect(await liveCall(pair, 1)).toBe(1);
    const raw = await RawConnection.open(pair.server.port);
    raw.sendBytes(bytes);
    await raw.closed;
    expect(await liveCall(pair, 2)).toBe(2);
    const again = await RawConnection.open(pair.server.port);
    again.request(1, { service: 'Echo', method: 'echo', args: [3] });
    expect(await again.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 1, 3, null]);
    again.close();
  });
});

describe('tcp transport: draining (GOAWAY)', () => {
  it('serves what was sent before GOAWAY, refuses what comes after the ack, then closes', async () => {
    const held = new HeldCalls();
    const pair = await track(tcpPair(held));
    const deadline = pair.clientClock.now() + 60_000;
    const inFlight = pair.endpoint.call(invocation('slow', [], deadline), target);
    await until(() => held.calls.length === 1, 'the call at the server');
    const raw = await RawConnection.open(pair.server.port);
    raw.request(5, { service: 'Echo', method: 'before' });
    await until(() => held.calls.length === 2, 'the raw call at the server');
    const drained = pair.server.drain();
    await until(() => pair.endpoint.state === 'draining', 'the endpoint to see GOAWAY');
    expect(pair.endpoint.available).toBe(false);
    await expect(pair.endpoint.call(invocation('new', [], deadline), target)).rejects.toMatchObject({ code: 'SHUTTING_DOWN', message: expect.stringContaining('was not sent') });
    expect(await raw.nextOf(KIND.GOAWAY)).toEqual([KIND.GOAWAY]);
    raw.ackGoaway();
    raw.request(6, { service: 'Echo', method: 'after' });
    const refused = await raw.nextOf(KIND.ERROR);
    expect(refused[1]).toBe(6);
    expect(refused[2]).toMatchObject({ code: 'SHUTTING_DOWN', message: expect.stringContaining('came after GOAWAY_ACK') });
    for (const call of held.calls) call.respond(`done ${call.method}`, null);
    expect(await inFlight).toBe('done slow');
    expect(await raw.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 5, 'done before', null]);
    await drained;
    await raw.closed;
    expect(pair.server.connectionCount).toBe(0);
    await until(() => pair.endpoint.state === 'backoff', 'the endpoint to lose its connection');
  });
});
