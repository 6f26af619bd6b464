import { describe } from 'vitest';
import { skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';
import { PEER_SETTINGS, recipesSuite } from './recipes-suite.js';

describe.skipIf(skipWithoutZooKeeper('coordination recipes against Apache ZooKeeper'))('coordination recipes against Apache ZooKeeper', () => {
  recipesSuite(() => startZooKeeper({ ...PEER_SETTINGS }));
});
