import { describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { Code, OpCode } from '@paddock/coord-protocol';
import type { ServerConnection } from '../../packages/coord-server/src/net/server-connection.js';
import { RawConn, RawSession, connectFrame, encode, requestFrame, within } from '../fuzz/wire.js';
import { startPaddock } from '../support/paddock.js';
import { type PeerServer, fourLetter, skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';

/** The per-IP connection limit, jute.maxbuffer, the bound on held replies. */

const OPEN_ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
/** Pipeline's MAX_HELD_PER_CONNECTION. */
const MAX_HELD = 10_000;
/** Frames the server may still take from the chunk it is decoding when it pauses (64 KiB reads). */
const CHUNK_SLACK = 65_536 / 24;

const setData = (path: string, data: Buffer) => encode('SetDataRequest', { path, data, version: -1 });

/** Resolves the next time the server drops a connection. */
function nextClose(p: Awaited<ReturnType<typeof startPaddock>>): Promise<void> {
  const server = p.server as unknown as { connectionClosed(c: ServerConnection): void };
  const original = server.connectionClosed;
  return new Promise((resolve) => {
    server.connectionClosed = (c) => {
      server.connectionClosed = original;
      original.call(p.server, c);
      resolve();
    };
  });
}

async function connectionLimit(peer: PeerServer): Promise<void> {
  const a = await RawSession.open(peer.port);
  const b = await RawSession.open(peer.port);
  // ZooKeeper may reset the connection before the connect completes; either way it is refused.
  const third = await RawConn.open(peer.port).catch(() => null);
  if (third) {
    third.write(connectFrame());
    expect(await third.waitClosed(5_000)).toBe(true);
    expect(await third.nextFrame(100)).toBeNull();
  }
  expect((await a.call(OpCode.exists, encode('ExistsRequest', { path: '/', watch: false })))?.err).toBe(Code.OK);
  await a.close();
  await b.close();
}

describe('maxClientCnxns', () => {
  it('refuses the connection over the per-IP limit and counts it; the others keep working', async () => {
    const p = await startPaddock({ maxClientCnxns: 2 });
    try {
      await connectionLimit(p);
      expect(p.server.stats.connectionsRejected).toBe(1);
      expect(await fourLetter(p.port, 'mntr')).toMatch(/\nzk_connection_rejected\t1\n/);
    } finally {
      await p.stop();
    }
  });

  it('frees the place when a connection closes', async () => {
    const p = await startPaddock({ maxClientCnxns: 1 });
    try {
      const a = await RawSession.open(p.port);
      const closed = nextClose(p);
      a.conn.destroy();
      await within(closed, 5_000, 'server noticing the close');
      const b = await RawSession.open(p.port);
      await b.close();
    } finally {
      await p.stop();
    }
  });

  describe.skipIf(skipWithoutZooKeeper('maxClientCnxns vs ZooKeeper'))('as ZooKeeper', () => {
    it('ZooKeeper closes the extra connection the same way', async () => {
      const zk = await startZooKeeper({ extra: { maxClientCnxns: '2' } });
      try {
        await connectionLimit(zk);
      } finally {
        await zk.stop();
      }
    });
  });
});

describe('jute.maxbuffer', () => {
  it('takes a frame of exactly maxBuffer bytes and closes only the connection that sends more', async () => {
    const maxBuffer = 4096;
    const p = await startPaddock({ maxBuffer });
    const other = await CoordClient.connect(p.connectString);
    try {
      await other.create('/a', Buffer.from('before'));
      const s = await RawSession.open(p.port);
      // RequestHeader (8) + path "/a" (4 + 2) + data (4 + n) + version (4) = maxBuffer.
      const fits = setData('/a', Buffer.alloc(maxBuffer - 22, 1));
      const atLimit = requestFrame(s.xid(), OpCode.setData, fits);
      expect(atLimit.length - 4).toBe(maxBuffer);
      s.conn.write(atLimit);
      expect((await s.replyTo(s.xid() - 1))?.err).toBe(Code.OK);
      s.conn.write(requestFrame(s.xid(), OpCode.setData, setData('/a', Buffer.alloc(maxBuffer - 21, 2))));
      expect(await s.conn.nextFrame(5_000)).toBeNull();
      expect(s.conn.isClosed).toBe(true);
      // The server and the other session go on.
      expect(await fourLetter(p.port, 'ruok')).toBe('imok');
      expect((await other.getData('/a')).data?.length).toBe(maxBuffer - 22);
      await other.setData('/a', Buffer.from('after'));
      expect((await other.getData('/a')).data?.toString()).toBe('after');
    } finally {
      await other.close();
      await p.stop();
    }
  });
});

describe('bound on replies held per connection', () => {
  it('stops reading a client that pipelines far more writes than the bound, then answers all in order', async () => {
    const p = await startPaddock();
    const s = await RawSession.open(p.port);
    try {
      const created = await s.call(OpCode.create, encode('CreateRequest', { path: '/x', data: null, acl: OPEN_ACL, flags: 0 }));
      expect(created?.err).toBe(Code.OK);
      const conn = [...p.server.connections][0]!;
      // Hold every reply: durability notices are kept back until the test lets them through.
      const persistence = p.server.persistence;
      const notify = persistence.onDurable;
      persistence.onDurable = () => {};
      const paused = new Promise<{ held: number; received: number }>((resolve) => {
        const pauseInput = conn.pauseInput.bind(conn);
        conn.pauseInput = (stop) => {
          if (stop) resolve({ held: conn.held, received: p.server.pipeline.counters.received });
          pauseInput(stop);
        };
      });
      const total = 4 * MAX_HELD;
      const xids: number[] = [];
      const frames: Buffer[] = [];
      for (let i = 0; i < total; i++) {
        xids.push(s.xid());
        frames.push(requestFrame(xids[i]!, OpCode.setData, setData('/x', Buffer.from([i & 0xff]))));
      }
      const receivedBefore = p.server.pipeline.counters.received;
      s.conn.write(Buffer.concat(frames));

      const atPause = await within(paused, 10_000, 'the server pausing its reads');
      expect(atPause.held).toBe(MAX_HELD);
      // Reading stops within the chunk being decoded: what is held stays near the bound.
      expect(conn.held).toBeLessThanOrEqual(MAX_HELD + CHUNK_SLACK);
      expect(p.server.pipeline.stats.outstanding).toBe(conn.held);
      expect(p.server.pipeline.counters.received - receivedBefore).toBeLessThan(total);

      persistence.onDurable = notify;
      notify(persistence.durableZxid);
      for (const xid of xids) {
        const reply = await s.replyTo(xid, 10_000);
        expect(reply?.err).toBe(Code.OK);
      }
      expect(conn.held).toBe(0);
      expect(p.server.pipeline.stats.outstanding).toBe(0);
      expect(p.server.pipeline.counters.received - receivedBefore).toBe(total);
    } finally {
      await s.close();
      await p.stop();
    }
  });
});
