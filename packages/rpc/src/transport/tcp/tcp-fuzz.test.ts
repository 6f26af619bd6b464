import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawConnection } from '../testing/raw-connection.js';
import { HeldCalls, invocation, tcpPair, type Pair } from '../testing/tcp-harness.js';
import { until } from '../testing/until.js';
import { KIND } from './tcp-protocol.js';

const SEED = Number(process.env.RPC_FUZZ_SEED ?? 20240229);
let pair: Pair;
beforeAll(async () => {
  const held = new HeldCalls();
  held.auto = (call) => call.respond(call.args, null);
  pair = await tcpPair(held, { server: { maxFrameBytes: 4096 } });
});
afterAll(() => pair.close());

/** Random frames: a plausible length prefix (or not) and a body of random msgpack-ish bytes. */
const garbage = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.uint8Array({ maxLength: 300 })).map(([n, b]) => Buffer.concat([RawConnection.header(n), Buffer.from(b)])),
  fc.tuple(fc.constantFrom(...Object.values(KIND)), fc.array(fc.anything(), { maxLength: 10 }))
    .map(([kind, rest]) => RawConnection.frame([kind, ...rest])),
);

describe(`tcp transport fuzz (seed ${SEED}; replay with RPC_FUZZ_SEED)`, () => {
  it('random bytes and random messages never take the provider down or touch other connections', async () => {
    await fc.assert(
      // Mostly after a valid preface (to reach the frame decoder); sometimes instead of it.
      fc.asyncProperty(garbage, fc.integer({ min: 0, max: 3 }), async (bytes, pick) => {
        const raw = await RawConnection.open(pair.server.port, '127.0.0.1', pick === 0 ? null : undefined);
        raw.sendBytes(bytes);
        // Whatever the provider made of it (an error answer, a close, waiting for more), a real
        // consumer on its own connection is still served.
        const out = await pair.endpoint.call(invocation('echo', ['ok'], pair.clientClock.now() + 10_000), { version: '*', group: 'default' });
        expect(out).toEqual(['ok']);
        raw.close();
        await raw.closed;
      }),
      { seed: SEED, numRuns: 150 },
    );
    await until(() => pair.server.connectionCount === 1, 'the raw connections to be gone');
  });
});
