import { describe } from 'vitest';
import { skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';
import { PEER_SETTINGS } from './registry-context.js';
import { registryCliSuite } from './cli-suite.js';

describe.skipIf(skipWithoutZooKeeper('registry CLI commands against Apache ZooKeeper'))('registry CLI commands against Apache ZooKeeper', () => {
  registryCliSuite(() => startZooKeeper({ ...PEER_SETTINGS }));
});
