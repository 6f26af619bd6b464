import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { checkSessionPassword, sessionPassword } from '../../packages/coord-server/src/session/session-password.js';
import { RawClient } from '../compat/raw-client.js';
import { type PeerServer, skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';

/** A standalone ZooKeeper makes its session ids with server id 1 (ZooKeeperServer.createSessionTrackerServerId). */
const STANDALONE_SERVER_ID = 1n;

describe.skipIf(skipWithoutZooKeeper('session passwords vs ZooKeeper'))('session passwords as ZooKeeper 3.8 makes them', () => {
  let zk: PeerServer;
  beforeAll(async () => {
    zk = await startZooKeeper();
  });
  afterAll(async () => {
    await zk?.stop();
  });

  it('derives the password a real ZooKeeper gave each of several sessions from the session id alone', async () => {
    const clients = await Promise.all([0, 1, 2].map(() => CoordClient.connect(zk.connectString)));
    try {
      for (const c of clients) {
        expect(c.sessionId >> 56n).toBe(STANDALONE_SERVER_ID);
        expect(c.sessionPassword.toString('hex')).toBe(sessionPassword(c.sessionId).toString('hex'));
        expect(checkSessionPassword(c.sessionId, c.sessionPassword)).toBe(true);
      }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('resumes a ZooKeeper session given only its id and the derived password', async () => {
    // The first session is made on a raw connection that never reconnects: ZooKeeper closes a
    // session's older connection when another resumes it, so a client that reconnected on its
    // own could knock the resumed one off (the resume would then see ConnectionLoss).
    const { client: first, handshake } = await RawClient.open(zk, { timeOut: 10_000 });
    expect(handshake.kind).toBe('connected');
    if (handshake.kind !== 'connected') return;
    const id = handshake.resp.sessionId;
    first.destroy();
    await first.waitClosed(2_000);
    const again = await CoordClient.connect(zk.connectString, { sessionId: id, sessionPassword: sessionPassword(id) });
    try {
      expect(again.sessionId).toBe(id);
      expect(await again.exists('/')).not.toBeNull();
    } finally {
      await again.close();
    }
  });
});
