import { describe } from 'vitest';
import { skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';
import { configSuite } from './config-suite.js';

describe.skipIf(skipWithoutZooKeeper('config center against Apache ZooKeeper'))('config center against Apache ZooKeeper', () => {
  configSuite(() => startZooKeeper());
});
