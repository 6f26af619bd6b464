import type { Scenario } from '../steps.js';
import { scenarios as aclAuth } from './acl-auth.js';
import { scenarios as aclBad } from './acl-bad.js';
import { scenarios as aclDigest } from './acl-digest.js';
import { scenarios as aclIp } from './acl-ip.js';
import { scenarios as aclMulti } from './acl-multi.js';
import { scenarios as aclNodes } from './acl-nodes.js';
import { scenarios as aclPerms } from './acl-perms.js';
import { scenarios as aclSuper } from './acl-super.js';
import { scenarios as aclSystem } from './acl-system.js';
import { scenarios as aclVersions } from './acl-versions.js';
import { scenarios as aclWatches } from './acl-watches.js';
import { scenarios as aclWorld } from './acl-world.js';
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
import { scenarios as nullFields } from './null-fields.js';
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
  { group: 'acl-perms', scenarios: aclPerms },
  { group: 'acl-world', scenarios: aclWorld },
  { group: 'acl-digest', scenarios: aclDigest },
  { group: 'acl-ip', scenarios: aclIp },
  { group: 'acl-auth', scenarios: aclAuth },
  { group: 'acl-super', scenarios: aclSuper },
  { group: 'acl-bad', scenarios: aclBad },
  { group: 'acl-versions', scenarios: aclVersions },
  { group: 'acl-multi', scenarios: aclMulti },
  { group: 'acl-nodes', scenarios: aclNodes },
  { group: 'acl-watches', scenarios: aclWatches },
  { group: 'acl-system', scenarios: aclSystem },
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
  { group: 'null-fields', scenarios: nullFields },
];
