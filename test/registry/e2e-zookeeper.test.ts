import { describe } from 'vitest';
import { startZooKeeper } from '../../bench/support/zookeeper.js';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';
import { E2E_TICK_MS, e2eSuite } from './e2e-suite.js';

describe.skipIf(skipWithoutZooKeeper('registry end to end on Apache ZooKeeper'))('registry end to end on Apache ZooKeeper', () => {
  e2eSuite('ZooKeeper 3.8', () => startZooKeeper({ tickTime: E2E_TICK_MS }));
});
