import { useSuiteContext, type StartPeer } from '../client/suite-context.js';
import { badInputAndSessionLossTests } from './suite-bad-input.js';
import { barrierTests } from './suite-barriers.js';
import { cacheTests } from './suite-caches.js';
import { electionTests } from './suite-election.js';
import { lockTests } from './suite-lock.js';
import { queueAndCounterTests } from './suite-queue-counter.js';
import { readWriteLockTests } from './suite-rw-lock.js';

/**
 * The recipe suite, written once and run against every server that speaks ZooKeeper's wire
 * protocol (Apache ZooKeeper 3.8 and ours): call it inside a describe block with a starter.
 */
export function recipesSuite(start: StartPeer): void {
  const ctx = useSuiteContext(start);
  lockTests(ctx);
  readWriteLockTests(ctx);
  electionTests(ctx);
  barrierTests(ctx);
  queueAndCounterTests(ctx);
  cacheTests(ctx);
  badInputAndSessionLossTests(ctx);
}

/** Short ticks so a 1 s session expires quickly. */
export const PEER_SETTINGS = { tickTime: 500, minSessionTimeout: 1000, maxSessionTimeout: 60_000 } as const;
