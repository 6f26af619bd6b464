import { describe, expect, it } from 'vitest';
import { OPTION_ERROR_CODE, OptionError } from '@paddock/edges';
import { RpcServer } from '../../provider/rpc-server.js';
import { resolveTcpOptions } from './tcp-options.js';

const MiB = 1024 * 1024;

describe('tcp options', () => {
  it('defaults the bounds on what a peer can make a provider allocate', () => {
    expect(resolveTcpOptions()).toMatchObject({ maxFrameBytes: 8 * MiB, maxDecodeRatio: 32, maxConnections: 10_000, maxBufferedBytes: 256 * MiB });
  });

  it.each([
    [{ maxDecodeRatio: 0 }, 'tcp option maxDecodeRatio must be an integer in 1..1000000, got 0'],
    [{ maxDecodeRatio: 2.5 }, 'tcp option maxDecodeRatio must be an integer in 1..1000000, got 2.5'],
    [{ maxConnections: 0 }, 'tcp option maxConnections must be an integer in 1..1000000, got 0'],
    [{ maxConnections: '10' as unknown as number }, 'tcp option maxConnections must be an integer in 1..1000000, got 10'],
    [{ maxBufferedBytes: -1 }, 'tcp option maxBufferedBytes must be an integer in 64..9007199254740991, got -1'],
    [{ maxBufferedBytes: 100 }, `tcp option maxBufferedBytes must be at least maxFrameBytes + 4 (${8 * MiB + 4}), got 100`],
    [{ maxFrameBytes: 1024, maxBufferedBytes: 1027 }, 'tcp option maxBufferedBytes must be at least maxFrameBytes + 4 (1028), got 1027'],
  ])('refuses %j with an OptionError (a TypeError) naming the option and the value', (opts, message) => {
    const err = (() => { try { resolveTcpOptions(opts); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(OptionError);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as OptionError).message).toBe(message);
  });

  it('grows the default maxBufferedBytes with maxFrameBytes, so one frame always fits', () => {
    expect(resolveTcpOptions({ maxFrameBytes: 512 * MiB }).maxBufferedBytes).toBe(512 * MiB + 4);
    expect(resolveTcpOptions({ maxFrameBytes: 1024, maxBufferedBytes: 1028 }).maxBufferedBytes).toBe(1028);
  });

  it('RpcServer.start refuses a bad bound before listening', async () => {
    await expect(RpcServer.start({ port: 0, host: '127.0.0.1', tcp: { maxConnections: -5 } })).rejects.toMatchObject({
      code: OPTION_ERROR_CODE, option: 'tcp.maxConnections', value: -5, message: 'tcp option maxConnections must be an integer in 1..1000000, got -5',
    });
    await expect(RpcServer.start({ port: 0, host: '127.0.0.1', transport: 'http', tcp: { maxDecodeRatio: 0 } })).rejects.toThrow(OptionError);
  });
});
