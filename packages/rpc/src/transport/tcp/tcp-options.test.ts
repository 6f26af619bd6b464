import { describe, expect, it } from 'vitest';
import { RpcServer } from '../../provider/rpc-server.js';
import { resolveTcpOptions } from './tcp-options.js';

const MiB = 1024 * 1024;

describe('tcp options', () => {
  it('defaults the bound on what decoding a frame may cost', () => {
    expect(resolveTcpOptions()).toMatchObject({ maxFrameBytes: 8 * MiB, maxDecodeRatio: 32 });
  });

  it.each([
    [{ maxDecodeRatio: 0 }, 'tcp option maxDecodeRatio must be an integer in 1..1000000, got 0'],
    [{ maxDecodeRatio: 2.5 }, 'tcp option maxDecodeRatio must be an integer in 1..1000000, got 2.5'],
  ])('refuses %j with a TypeError naming the option and the value', (opts, message) => {
    expect(() => resolveTcpOptions(opts)).toThrow(new TypeError(message));
  });

  it('RpcServer.start refuses a bad bound before listening', async () => {
    await expect(RpcServer.start({ port: 0, host: '127.0.0.1', tcp: { maxDecodeRatio: -5 } })).rejects.toThrow(new TypeError('tcp option maxDecodeRatio must be an integer in 1..1000000, got -5'));
    await expect(RpcServer.start({ port: 0, host: '127.0.0.1', transport: 'http', tcp: { maxDecodeRatio: 0 } })).rejects.toThrow(TypeError);
  });
});
