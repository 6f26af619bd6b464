import { beforeAll, describe, expect, it } from 'vitest';
import { RpcError } from '@paddock/rpc';
import { RawConnection } from '../../packages/rpc/src/transport/testing/raw-connection.js';
import { KIND } from '../../packages/rpc/src/transport/tcp/tcp-protocol.js';
import { Control, Greeter } from './contracts.js';
import { ProviderProcess } from './provider-process.js';
import { useClients, within } from './rpc-harness.js';

const newClient = useClients();
const MAX_FRAME = 256 * 1024;
let provider: ProviderProcess;
beforeAll(async () => {
  provider = await ProviderProcess.start({ name: 'faults', tcp: { maxFrameBytes: MAX_FRAME } });
});

describe('bad input closes that connection; the provider keeps serving others', () => {
  const cases: [string, Buffer][] = [
    ['undecodable msgpack', Buffer.concat([RawConnection.header(3), Buffer.from([0x93, 0x00, 0x01])])],
    ['a message that is not an array', Buffer.concat([RawConnection.header(6), Buffer.from([0xa5, 0x68, 0x65, 0x6c, 0x6c, 0x6f])])],
    ['a request without a valid id', Buffer.concat([RawConnection.header(3), Buffer.from([0x92, 0x00, 0xc0])])],
    ['a frame stating 4 GiB - 1', RawConnection.header(0xffff_ffff)],
    ['a frame one byte over the bound', RawConnection.header(MAX_FRAME + 1)],
    ['garbage that is not framing at all', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
  ];

  it.each(cases)('%s', async (_what, bytes) => {
    const client = newClient();
    const greeter = client.refer(Greeter, { addresses: [provider.address] });
    expect(await greeter.hello('before')).toBe('hello before');
    const raw = await RawConnection.open(provider.port);
    raw.sendBytes(bytes);
    await within(raw.closed, 'the provider to close the bad connection');
    // The consumer's own connection was not touched.
    expect(await greeter.hello('after')).toBe('hello after');
    const control = client.refer(Control, { addresses: [provider.address] });
    expect((await control.stats()).connections).toBe(1);
  });

  it('a frame split into single bytes is still one request', async () => {
    const raw = await RawConnection.open(provider.port);
    const probe = await RawConnection.open(provider.port);
    probe.request(1, { service: 'Greeter', method: 'hello', args: ['bytes'] });
    expect(await probe.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 1, 'hello bytes', null]);
    probe.close();
    const frame = frameOf(2, 'split');
    for (const byte of frame) raw.sendBytes(Buffer.from([byte]));
    expect(await raw.nextOf(KIND.RESULT)).toEqual([KIND.RESULT, 2, 'hello split', null]);
    raw.close();
  });

  it('a request whose deadline passed before it arrived is refused with DEADLINE_EXCEEDED, not run', async () => {
    const raw = await RawConnection.open(provider.port);
    raw.request(3, { service: 'Greeter', method: 'hello', args: ['late'], deadline: Date.now() - 1000 });
    const [, id, error] = await raw.nextOf(KIND.ERROR);
    expect(id).toBe(3);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', message: expect.stringMatching(/^Greeter\.hello arrived \d+ ms after its deadline and was not run$/) });
    raw.close();
  });
});

describe('heartbeats across processes', () => {
  it('a provider that stops answering (SIGSTOP) is found dead within a few short intervals: its calls fail NETWORK, it is set aside at once', async () => {
    const stopped = await ProviderProcess.start({ name: 'to-stop' });
    const client = newClient({ tcp: { heartbeatMs: 100, heartbeatMisses: 3, reconnectBaseMs: 600_000, reconnectMaxMs: 600_000 } });
    const greeter = client.refer(Greeter, { addresses: [stopped.address], timeout: 600_000, circuitBreaker: false });
    expect(await greeter.hello('alive')).toBe('hello alive');
    stopped.pause();
    try {
      const err = await within(greeter.hello('frozen').then(() => null, (e: unknown) => e), 'the dead connection to be noticed');
      expect(err).toBeInstanceOf(RpcError);
      expect((err as RpcError).code).toBe('NETWORK');
      expect((err as RpcError).message).toContain('is dead: nothing read for 3 heartbeat intervals of 100 ms');
      // Unavailable at once: the next call does not wait for anything.
      const next = (await greeter.hello('next').then(() => null, (e: unknown) => e)) as RpcError;
      expect(next.code).toBe('NO_PROVIDER');
    } finally {
      stopped.kill();
    }
  });

  it('a live but idle connection survives many short intervals (pings are answered)', async () => {
    // Tolerates a 300 ms stall of either process (a loaded machine), still 20 intervals per call.
    const client = newClient({ tcp: { heartbeatMs: 50, heartbeatMisses: 6 } });
    const greeter = client.refer(Greeter, { addresses: [provider.address], circuitBreaker: false });
    const control = client.refer(Control, { addresses: [provider.address] });
    expect(await greeter.hello('x')).toBe('hello x');
    // Calls that take 20 intervals each: meanwhile the connection carries nothing but pings.
    for (let i = 0; i < 2; i++) expect(await greeter.delayEcho(i, 1000)).toBe(i);
    expect((await control.stats()).connections).toBe(1);
  });
});

function frameOf(id: number, who: string): Buffer {
  return RawConnection.frame([KIND.REQUEST, id, 'Greeter', '*', 'default', 'hello', [who], null, Date.now() + 30_000]);
}
