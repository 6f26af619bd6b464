import { describe, expect, it } from 'vitest';
import { Code, OpCode } from '@paddock/coord-protocol';
import { RawConn, RawSession, connectFrame, encode, requestFrame } from '../fuzz/wire.js';
import { startPaddock } from '../support/paddock.js';
import { skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';

/**
 * A connection that never finishes its handshake is closed, and what the
 * server buffers of incomplete frames is bounded, per connection before the handshake and
 * across all connections after it.
 */

const exists = (path: string) => encode('ExistsRequest', { path, watch: false });

/** A frame's length prefix and only part of its body: the rest never comes. */
function halfFrame(claimed: number, sent: number): Buffer {
  const b = Buffer.alloc(4 + sent, 7);
  b.writeInt32BE(claimed, 0);
  return b;
}

describe('connections that never send their ConnectRequest', () => {
  it('are closed after sessionlessCnxnTimeout, idle or half-sent; a session that did is not', async () => {
    const p = await startPaddock({ sessionlessCnxnTimeout: 300 });
    try {
      const session = await RawSession.open(p.port);
      const idle = await RawConn.open(p.port);
      const half = await RawConn.open(p.port);
      half.write(connectFrame().subarray(0, 20));
      expect(await idle.waitClosed(10_000), 'the idle connection is closed').toBe(true);
      expect(await half.waitClosed(10_000), 'the half-sent ConnectRequest is closed').toBe(true);
      // Well past the timeout now, and the session's connection is still served.
      expect((await session.call(OpCode.exists, exists('/')))?.err).toBe(Code.OK);
      expect(p.server.connections.size).toBe(1);
      await session.close();
    } finally {
      await p.stop();
    }
  });

  it('a first frame longer than any ConnectRequest is refused at once, not buffered', async () => {
    const p = await startPaddock({ sessionlessCnxnTimeout: 600_000 });
    try {
      const conns = await Promise.all(Array.from({ length: 20 }, () => RawConn.open(p.port)));
      for (const c of conns) c.write(halfFrame(1_000_000, 512 * 1024));
      for (const c of conns) expect(await c.waitClosed(10_000)).toBe(true);
      expect(p.server.partialFrameBytes).toBe(0);
      const ok = await RawSession.open(p.port);
      expect((await ok.call(OpCode.exists, exists('/')))?.err).toBe(Code.OK);
      await ok.close();
    } finally {
      await p.stop();
    }
  });

  describe('ZooKeeper', () => {
    const skip = skipWithoutZooKeeper('ZooKeeper closes sessionless connections');
    it.skipIf(skip)('closes an idle connection the same way (nio.sessionlessCnxnTimeout)', async () => {
      const zk = await startZooKeeper({ extra: { 'nio.sessionlessCnxnTimeout': '500' } });
      try {
        const session = await RawSession.open(zk.port);
        const idle = await RawConn.open(zk.port);
        expect(await idle.waitClosed(15_000)).toBe(true);
        expect((await session.call(OpCode.exists, exists('/')))?.err).toBe(Code.OK);
        await session.close();
      } finally {
        await zk.stop();
      }
    });
  });
});

describe('incomplete frames across connections', () => {
  it('past maxPartialFrameBytes the connection that grows them is closed; the others complete their frames', async () => {
    const maxBuffer = 32 * 1024;
    const p = await startPaddock({ maxBuffer, maxPartialFrameBytes: 100 * 1024 });
    try {
      const sessions = await Promise.all(Array.from({ length: 5 }, () => RawSession.open(p.port)));
      const body = encode('SetDataRequest', { path: '/', data: Buffer.alloc(30_000, 1), version: -1 });
      const frames = sessions.map((s) => requestFrame(s.xid(), OpCode.setData, body));
      const cut = 28_000;
      // Three partial frames fit (84,000 bytes); a fourth, and then a fifth, would pass 100 KiB.
      for (const [i, s] of sessions.entries()) {
        s.conn.write(frames[i]!.subarray(0, cut));
        if (i < 3) await waitFor(() => p.server.partialFrameBytes >= (i + 1) * cut);
      }
      expect(await sessions[3]!.conn.waitClosed(10_000)).toBe(true);
      expect(await sessions[4]!.conn.waitClosed(10_000)).toBe(true);
      expect(p.server.partialFrameBytes).toBe(3 * cut);
      for (const [i, s] of sessions.slice(0, 3).entries()) {
        s.conn.write(frames[i]!.subarray(cut));
        expect((await s.replyTo(1))?.err).toBe(Code.OK);
      }
      expect(p.server.partialFrameBytes).toBe(0);
      for (const s of sessions.slice(0, 3)) await s.close();
    } finally {
      await p.stop();
    }
  });

  it('refuses a bound below jute.maxbuffer, naming it', async () => {
    await expect(startPaddock({ maxBuffer: 64 * 1024, maxPartialFrameBytes: 1024 })).rejects.toThrow(
      /maxPartialFrameBytes must be an integer in 65536\.\.\d+, got 1024/,
    );
  });
});

/** Waits, a turn of the event loop at a time, until `check` holds (bounded). */
async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
