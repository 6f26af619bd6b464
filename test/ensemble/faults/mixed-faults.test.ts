import { faultSuite } from './fault-suite.js';

// Issue 13, Must show: a mixed ensemble (two Paddock servers and a ZooKeeper 3.8 one) passes
// the same fault rounds. Three by default; FAULT_ROUNDS runs more.
faultSuite({
  title: 'fault rounds on a mixed ensemble (Paddock, ZooKeeper, Paddock)',
  file: 'test/ensemble/faults/mixed-faults.test.ts',
  seats: ['paddock', 'zk', 'paddock'],
  rounds: 3,
});
