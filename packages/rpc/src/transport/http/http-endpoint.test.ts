import { connect, createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { neverConnected } from './http-endpoint.js';

/** The error a socket to `port` ends with after writing `data` once it connects. */
function socketError(port: number, data: string): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(data));
    s.on('error', resolve);
    s.on('close', () => reject(new Error('closed without an error')));
  });
}

describe('http endpoint: which failures prove a call never reached the provider', () => {
  it('a refused connect did not; a reset after the request was written may have', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await socketError(freePort, 'x');
    expect([refused.code, refused.syscall]).toEqual(['ECONNREFUSED', 'connect']);
    expect(neverConnected(refused)).toBe(true);

    // The provider read the request, then the connection was reset: it may have run the call.
    const resetting = createServer((s) => s.once('data', () => s.resetAndDestroy()));
    await new Promise<void>((r) => resetting.listen(0, '127.0.0.1', r));
    try {
      const reset = await socketError((resetting.address() as AddressInfo).port, 'POST / HTTP/1.1\r\n\r\n');
      expect(reset.code).toBe('ECONNRESET');
      expect(reset.syscall).not.toBe('connect');
      expect(neverConnected(reset)).toBe(false);
    } finally {
      await new Promise<void>((r) => resetting.close(() => r()));
    }
  });

  it('a reset the connect itself reports (a listener closed with the connection still queued) did not', () => {
    // Node's error for a handshake reset before the connect was seen to finish: nothing was written yet.
    const err = Object.assign(new Error('connect ECONNRESET 127.0.0.1:40357'), { code: 'ECONNRESET', syscall: 'connect' });
    expect(neverConnected(err)).toBe(true);
    expect(neverConnected(Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' }))).toBe(true);
    expect(neverConnected(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }))).toBe(false);
    expect(neverConnected(new Error('no code'))).toBe(false);
  });
});
