import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { OPTION_ERROR_CODE, OptionError, type Logger } from '@paddock/edges';
import { resolveOptions, type CoordClientOptions } from './options.js';

function rejected(opts: CoordClientOptions): OptionError {
  try {
    resolveOptions(opts);
  } catch (err) {
    if (err instanceof OptionError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('resolveOptions', () => {
  it('applies defaults: 30 s session, quiet logger, no session to resume', () => {
    const o = resolveOptions();
    expect(o).toMatchObject({
      sessionTimeout: 30_000, connectTimeout: 30_000, baseDelayMs: 100, maxDelayMs: 2000, maxAttempts: Infinity,
      canBeReadOnly: false, sessionId: 0n, maxQueuedRequests: 10_000, maxFrameBytes: 4 * 1024 * 1024,
    });
    expect(o.sessionPassword).toEqual(Buffer.alloc(16));
  });

  it.each([
    [{ sessionTimeout: 0 }, 'sessionTimeout'],
    [{ sessionTimeout: 1.5 }, 'sessionTimeout'],
    [{ connectTimeout: -1 }, 'connectTimeout'],
    [{ retry: { maxDelayMs: Number.NaN } }, 'retry.maxDelayMs'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    [{ maxQueuedRequests: 0 }, 'maxQueuedRequests'],
    [{ maxFrameBytes: 10 }, 'maxFrameBytes'],
    [{ sessionId: 5n }, 'needs sessionPassword'],
    [{ sessionId: 2n ** 64n, sessionPassword: Buffer.alloc(16) }, '64-bit'],
    [{ authInfo: [{ scheme: '', auth: 'x' }] }, 'without a scheme'],
    [{ authInfo: [{ scheme: 'digest', auth: 5 as never }] }, 'no auth bytes'],
  ])('rejects a bad value (case %#) naming it', (opts, words) => {
    const err = rejected(opts as CoordClientOptions);
    expect(err).toBeInstanceOf(TypeError);
    expect(err.code).toBe(OPTION_ERROR_CODE);
    expect(err.message).toContain(words);
  });

  it('accepts a pino logger as is', () => {
    const logger: Logger = pino({ level: 'silent' });
    expect(resolveOptions({ logger }).logger).toBe(logger);
    const child: Logger = pino({ level: 'silent' }).child({ component: 'coord-client' });
    expect(typeof child.debug).toBe('function');
  });
});
