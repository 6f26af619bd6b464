import { describe } from 'vitest';
import { skipWithoutPaddock } from '../fuzz/peers.js';
import { startPaddock } from '../support/paddock.js';
import { skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';
import { nodeZookeeperClientSuite } from './node-zookeeper-client.suite.js';

// Apache ZooKeeper proves the expectations; our server has to meet them.
describe.skipIf(skipWithoutZooKeeper('node-zookeeper-client vs ZooKeeper'))('node-zookeeper-client vs Apache ZooKeeper 3.8', () => {
  nodeZookeeperClientSuite(startZooKeeper);
});

describe.skipIf(await skipWithoutPaddock('node-zookeeper-client vs Paddock'))('node-zookeeper-client vs Paddock coord-server', () => {
  nodeZookeeperClientSuite(startPaddock);
});
