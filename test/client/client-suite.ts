import { sessionAndCrudTests } from './suite-basics.js';
import { useSuiteContext, type StartPeer } from './suite-context.js';
import { faultTests } from './suite-faults.js';
import { multiAndAuthTests } from './suite-multi-auth.js';
import { watchTests } from './suite-watches.js';

/**
 * The coord-client integration suite, written once and run against every server that claims
 * ZooKeeper's wire protocol: call it inside a describe block with a function that starts one.
 */
export function clientSuite(start: StartPeer): void {
  const ctx = useSuiteContext(start);
  sessionAndCrudTests(ctx);
  watchTests(ctx);
  multiAndAuthTests(ctx);
  faultTests(ctx);
}

/** Server settings the suite needs: short ticks so a 1 s session can expire quickly. */
export const PEER_SETTINGS = { tickTime: 500, minSessionTimeout: 1000, maxSessionTimeout: 60_000 } as const;
