import { faultSuite } from './fault-suite.js';

// Issue 13, Must show: seeded fault rounds on a Paddock ensemble of 3 (partitions, a minority
// leader, one-way and bridge links, kill -9 of any member and of the leader, SIGSTOP of the
// leader past syncLimit, kill -9 during a SNAP, a slow disk through the txnlog.fsync sleep failpoint)
// with 0 linearizability violations and 0 acknowledged writes lost: one round of each kind;
// FAULT_ROUNDS=50 runs the long version.
faultSuite({
  title: 'fault rounds on a Paddock ensemble of 3',
  file: 'test/ensemble/faults/paddock-faults.test.ts',
  seats: ['paddock', 'paddock', 'paddock'],
});
