import { describe, expect, it } from 'vitest';
import { runServing, servedCall, type ServedCall } from './served-call.js';

describe('the call being served', () => {
  it('is the one a method runs with, through what it awaits, and none outside', async () => {
    const call: ServedCall = { deadline: 1234, traceId: 't1' };
    const self = { n: 2 };
    expect(servedCall()).toBeUndefined();
    const seen = await (runServing(call, async function (this: { n: number }, a: unknown) {
      await Promise.resolve();
      return { during: servedCall(), self: this.n, arg: a };
    } as (...args: unknown[]) => unknown, self, ['x']) as Promise<unknown>);
    expect(seen).toEqual({ during: call, self: 2, arg: 'x' });
    expect(servedCall()).toBeUndefined();
  });
});
