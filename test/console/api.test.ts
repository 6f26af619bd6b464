import { afterAll, beforeAll, describe } from 'vitest';
import { startZooKeeper, skipWithoutZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { apiSuite } from './api-suite.js';
import { consoleOnPaddock, standaloneConsole } from './console-harness.js';

// The console's API on Paddock's AdminServer, and standalone in front of Apache ZooKeeper 3.8:
// the registry, config and znode pages work on both; the server pages only where the server is ours.

describe('console API on Paddock', () => {
  apiSuite('paddock', consoleOnPaddock, true);
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
