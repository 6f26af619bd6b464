import { faultSuite } from './fault-suite.js';

// Issue 13, Must show: the same harness pointed at three Apache ZooKeeper 3.8 servers passes,
// which judges the harness (a fault it injects or a check it makes wrongly shows up here
// first). Three rounds by default (consecutive seeds: three consecutive fault kinds);
// FAULT_ROUNDS runs more. Skips with a visible message where ZooKeeper is not installed.
faultSuite({
  title: 'fault rounds on a ZooKeeper 3.8 ensemble of 3',
  file: 'test/ensemble/faults/zookeeper-faults.test.ts',
  seats: ['zk', 'zk', 'zk'],
  rounds: 3,
});
