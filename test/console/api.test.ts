import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZooKeeper, skipWithoutZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { apiSuite } from './api-suite.js';
import { call, consoleOnPaddock, standaloneConsole } from './console-harness.js';

// The console's API on Paddock's AdminServer, and standalone in front of Apache ZooKeeper 3.8:
// the registry, config and znode pages work on both; the server pages only where the server is ours.

describe('console API on Paddock', () => {
  apiSuite('paddock', consoleOnPaddock, true);

  it('holds its watch on / only while a page listens', async () => {
    const c = await consoleOnPaddock();
    const watchedRoot = async (): Promise<boolean> => {
      const watches = (await call(c, 'GET', '/sessions')).body.watches as Record<string, string[]>;
      return Object.values(watches).some((paths) => paths.includes('/'));
    };
    try {
      const abort = new AbortController();
      const res = await fetch(`${c.url}/api/events`, { signal: abort.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.includes('"connected":true')) text += Buffer.from((await reader.read()).value ?? []).toString();
      expect(await watchedRoot()).toBe(true);
      abort.abort();
      await expect.poll(watchedRoot, { timeout: 10_000 }).toBe(false);
    } finally {
      await c.stop();
    }
  });
});

const noZk = skipWithoutZooKeeper('console API on Apache ZooKeeper 3.8');
describe.skipIf(noZk)('console API on Apache ZooKeeper 3.8', () => {
  // One ZooKeeper for the file (it is slow to start); each test uses its own paths.
  let zk: PeerServer;
  beforeAll(async () => {
    zk = await startZooKeeper();
  });
  afterAll(() => zk?.stop());
  apiSuite('zookeeper', () => standaloneConsole(zk.connectString), false);
});
