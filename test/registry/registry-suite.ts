import type { StartPeer } from '../client/suite-context.js';
import { useRegistryContext } from './registry-context.js';
import { badInputTests } from './suite-bad-input.js';
import { discoveryTests } from './suite-discovery.js';
import { outageTests } from './suite-outages.js';
import { scaleTests } from './suite-scale.js';

/**
 * The registry suite, written once and run against our server and Apache ZooKeeper (in
 * process for ours, as a child for ZooKeeper): call it inside a describe block.
 */
export function registrySuite(start: StartPeer): void {
  const ctx = useRegistryContext(start);
  discoveryTests(ctx);
  badInputTests(ctx);
  outageTests(ctx);
  scaleTests(ctx);
}
