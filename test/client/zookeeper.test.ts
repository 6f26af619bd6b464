import { describe } from 'vitest';
import { skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';
import { PEER_SETTINGS, clientSuite } from './client-suite.js';

describe.skipIf(skipWithoutZooKeeper('coord-client against Apache ZooKeeper'))('coord-client against Apache ZooKeeper', () => {
  clientSuite(() => startZooKeeper({ ...PEER_SETTINGS }));
});
