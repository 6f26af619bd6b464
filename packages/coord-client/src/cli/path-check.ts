import { pathError } from '@paddock/coord-protocol';
import { CliError } from './cli-error.js';

/** Reasons ZooKeeper's PathUtils states on their own; the others follow `Invalid path string "…" caused by`. */
const PLAIN = new Set(['Path length must be > 0', 'Path must start with / character', 'Path must not end with / character']);

/**
 * Refuses an invalid path with the message zkCli prints (ZooKeeper's client checks paths
 * before sending). A sequential create is checked with a `1` appended, as ZooKeeper does, so
 * it may end in `/`.
 */
export function checkPath(path: string, sequential = false): void {
  const checked = sequential ? `${path}1` : path;
  const why = pathError(checked);
  if (why === null) return;
  throw new CliError(PLAIN.has(why) ? why : `Invalid path string "${checked}" caused by ${why}`);
}
