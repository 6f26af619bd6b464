import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { checkSessionPassword, sessionPassword } from '../../packages/coord-server/src/session/session-password.js';
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
    const first = await CoordClient.connect(zk.connectString);
    const id = first.sessionId;
    first.dropConnection();
    const again = await CoordClient.connect(zk.connectString, { sessionId: id, sessionPassword: sessionPassword(id) });
    try {
      expect(again.sessionId).toBe(id);
      expect(await again.exists('/')).not.toBeNull();
    } finally {
      await again.close();
      await first.close();
    }
  });
});
