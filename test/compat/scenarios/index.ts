import type { Scenario } from '../steps.js';
import { scenarios as aclStored } from './acl-stored.js';
import { scenarios as badPaths } from './bad-paths.js';
import { scenarios as badVersions } from './bad-versions.js';
import { scenarios as children } from './children.js';
import { scenarios as container } from './container.js';
import { scenarios as create } from './create.js';
import { scenarios as data } from './data.js';
import { scenarios as dataLimit } from './data-limit.js';
import { scenarios as del } from './delete.js';
import { scenarios as ephemeral } from './ephemeral.js';
import { scenarios as exists } from './exists.js';
import { scenarios as info } from './info.js';
import { scenarios as malformed } from './malformed.js';
import { scenarios as multi } from './multi.js';
import { scenarios as multiRead } from './multi-read.js';
import { scenarios as removeWatches } from './remove-watches.js';
import { scenarios as sequential } from './sequential.js';
import { scenarios as sessions } from './sessions.js';
import { scenarios as setWatches } from './set-watches.js';
import { scenarios as ttl } from './ttl.js';
import { scenarios as unknownOps } from './unknown-ops.js';
import { scenarios as watchesOneShot } from './watches-one-shot.js';
import { scenarios as watchesPersistent } from './watches-persistent.js';
import { scenarios as watchesRecursive } from './watches-recursive.js';

export interface Group {
  readonly group: string;
  readonly scenarios: readonly Scenario[];
}

/** Every scenario group, in the order the suites run them. */
export const GROUPS: readonly Group[] = [
  { group: 'create', scenarios: create },
  { group: 'sequential', scenarios: sequential },
  { group: 'ephemeral', scenarios: ephemeral },
  { group: 'container', scenarios: container },
  { group: 'ttl', scenarios: ttl },
  { group: 'delete', scenarios: del },
  { group: 'data', scenarios: data },
  { group: 'exists', scenarios: exists },
  { group: 'children', scenarios: children },
  { group: 'acl-stored', scenarios: aclStored },
  { group: 'multi', scenarios: multi },
  { group: 'multiRead', scenarios: multiRead },
  { group: 'watches-one-shot', scenarios: watchesOneShot },
  { group: 'watches-persistent', scenarios: watchesPersistent },
  { group: 'watches-recursive', scenarios: watchesRecursive },
  { group: 'remove-check-watches', scenarios: removeWatches },
  { group: 'set-watches', scenarios: setWatches },
  { group: 'sessions', scenarios: sessions },
  { group: 'info', scenarios: info },
  { group: 'bad-paths', scenarios: badPaths },
  { group: 'bad-versions', scenarios: badVersions },
  { group: 'data-limit', scenarios: dataLimit },
  { group: 'unknown-ops', scenarios: unknownOps },
  { group: 'malformed', scenarios: malformed },
];
