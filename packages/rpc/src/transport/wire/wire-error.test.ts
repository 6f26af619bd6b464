import { describe, expect, it } from 'vitest';
import { RPC_ERROR_CODES, RpcError } from '../../call/rpc-error.js';
import { fromWireError, toWireError } from './wire-error.js';

describe('errors across the wire', () => {
  it.each(RPC_ERROR_CODES)('%s keeps its code and retryable flag', (code) => {
    const back = fromWireError(toWireError(new RpcError(code, `m ${code}`), false), 'p:1');
    expect(back).toBeInstanceOf(RpcError);
    expect(back.code).toBe(code);
    expect(back.message).toBe(`m ${code}`);
    expect(back.retryable).toBe(new RpcError(code).retryable);
    expect(back.details).toEqual({ remoteName: 'RpcError', provider: 'p:1' });
  });

  it('anything else thrown is REMOTE_ERROR with its name and message; the stack only when enabled', () => {
    class Overdrawn extends Error {
      override name = 'Overdrawn';
    }
    const err = new Overdrawn('balance -3');
    expect(toWireError(err, false)).toEqual({ code: 'REMOTE_ERROR', name: 'Overdrawn', message: 'balance -3' });
    expect(toWireError(err, true).stack).toBe(err.stack);
    expect(toWireError('just a string', false)).toEqual({ code: 'REMOTE_ERROR', name: 'Error', message: 'the method threw a non-error value: "just a string"' });
  });

  it('an unknown code from a newer peer becomes REMOTE_ERROR, keeping the message', () => {
    const e = fromWireError({ code: 'SOMETHING_NEW', name: 'RpcError', message: 'hm', stack: 'at x' }, 'p:2');
    expect(e).toMatchObject({ code: 'REMOTE_ERROR', message: 'hm', details: { remoteName: 'RpcError', remoteStack: 'at x', provider: 'p:2' } });
  });
});
