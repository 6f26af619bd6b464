import { aclTests } from './suite-acl.js';
import { extraTests } from './suite-extras.js';
import { useCliContext, type StartPeer } from './suite-context.js';
import { readWriteTests } from './suite-nodes.js';
import { sessionTests } from './suite-session.js';
import { treeTests } from './suite-tree.js';

/**
 * Every coord-cli command and flag, the refusals included, written once and run against every
 * server that speaks ZooKeeper's protocol: call it inside a describe block.
 */
export function cliSuite(start: StartPeer): void {
  const ctx = useCliContext(start);
  readWriteTests(ctx);
  treeTests(ctx);
  aclTests(ctx);
  sessionTests(ctx);
  extraTests(ctx);
}
