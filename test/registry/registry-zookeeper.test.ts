import { describe } from 'vitest';
import { skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';
import { PEER_SETTINGS } from './registry-context.js';
import { registrySuite } from './registry-suite.js';

describe.skipIf(skipWithoutZooKeeper('registry against Apache ZooKeeper'))('registry against Apache ZooKeeper', () => {
  registrySuite(() => startZooKeeper({ ...PEER_SETTINGS }));
});
