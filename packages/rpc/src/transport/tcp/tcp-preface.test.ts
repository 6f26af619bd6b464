import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, silentLogger } from '@paddock/edges';
import { RawConnection } from '../testing/raw-connection.js';
import { rawProvider } from '../testing/raw-provider.js';
import { HeldCalls, invocation, tcpPair, type Pair } from '../testing/tcp-harness.js';
import { Heartbeat } from '../heartbeat.js';
import { TcpEndpoint } from './tcp-endpoint.js';
import { resolveTcpOptions } from './tcp-options.js';
import { KIND, PREFACE, WIRE_VERSION, preface } from './tcp-protocol.js';

const target = { version: '*', group: 'default' };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoPair(): Promise<Pair> {
  const held = new HeldCalls();
  held.auto = (call) => call.respond(call.args, null);
  const pair = await tcpPair(held);
  cleanups.push(() => pair.close());
  return pair;
}

/** A "provider" that sends `first` when a consumer connects and then reads and ignores everything. */
async function fakeProvider(first: Buffer): Promise<number> {
  const provider = await rawProvider((s) => {
    s.write(first);
    s.resume();
  });
  cleanups.push(() => provider.close());
  return provider.port;
}

function endpointTo(port: number): TcpEndpoint {
  const clock = new ManualClock(Date.now());
  const endpoint = new TcpEndpoint(`127.0.0.1:${port}`, { host: '127.0.0.1', port }, {
    tcp: resolveTcpOptions({}), clock, logger: silentLogger, heartbeat: new Heartbeat(clock, 10_000, 3), random: () => 0.5,
  });
  cleanups.push(() => endpoint.close());
  return endpoint;
}

describe('tcp transport: the preface (wire version)', () => {
  it('each side sends "PDKRPC" and the wire version first; one sent a byte at a time still counts', async () => {
    const pair = await echoPair();
    const raw = await RawConnection.open(pair.server.port, '127.0.0.1', null);
    cleanups.push(() => raw.close());
    for (const byte of PREFACE) {
      raw.sendBytes(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    raw.request(7, { service: 'Any', method: 'echo', args: ['hi'] });
    expect(await raw.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 7, ['hi'], null]);
    expect(raw.peerPreface).toEqual(preface(WIRE_VERSION));
    expect(PREFACE.toString('latin1', 0, 6)).toBe('PDKRPC');
  });

  it('a provider closes a connection that opens with another wire version or with no preface, and serves the others', async () => {
    const pair = await echoPair();
    for (const first of [preface(WIRE_VERSION + 1), Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]) {
      const raw = await RawConnection.open(pair.server.port, '127.0.0.1', null);
      raw.sendBytes(first);
      raw.request(1, { service: 'Any', method: 'echo', args: ['never'] });
      await raw.closed;
      expect(raw.isOpen).toBe(false);
    }
    expect(await pair.endpoint.call(invocation('echo', ['ok'], pair.clientClock.now() + 10_000), target)).toEqual(['ok']);
  });

  it('a consumer refuses a provider of another wire version or a peer that is not one: its calls fail as never sent', async () => {
    const cases = [
      [preface(WIRE_VERSION + 1), `speaks paddock rpc wire version ${WIRE_VERSION + 1}; this side speaks version ${WIRE_VERSION}`],
      [Buffer.from('SSH-2.0-OpenSSH_9.2\r\n'), 'is not a paddock rpc peer: it began with 0x5353482d322e302d'],
    ] as const;
    for (const [first, says] of cases) {
      const endpoint = endpointTo(await fakeProvider(first));
      await endpoint.ready();
      const call = endpoint.call(invocation('echo', ['x'], Date.now() + 60_000), target);
      await expect(call).rejects.toMatchObject({ code: 'NETWORK', notExecuted: true, message: expect.stringContaining(says) });
    }
  });
});
