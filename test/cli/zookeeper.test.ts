import { describe } from 'vitest';
import { skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';
import { cliSuite } from './cli-suite.js';

describe.skipIf(skipWithoutZooKeeper('coord-cli against Apache ZooKeeper'))('coord-cli against Apache ZooKeeper', () => {
  cliSuite(() => startZooKeeper());
});
