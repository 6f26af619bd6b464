import { OptionError } from '@paddock/edges';
import { BroadcastCluster } from './broadcast.js';
import type { Cluster, ClusterOptions } from './cluster.js';
import { FailfastCluster } from './failfast.js';
import { FailoverCluster } from './failover.js';
import { FailsafeCluster } from './failsafe.js';
import { ForkingCluster } from './forking.js';

/** The only place a cluster is chosen by name (a reference's `cluster` option). */
const CLUSTERS = {
  failover: FailoverCluster,
  failfast: FailfastCluster,
  failsafe: FailsafeCluster,
  forking: ForkingCluster,
  broadcast: BroadcastCluster,
} as const satisfies Record<string, new (options: ClusterOptions) => Cluster>;

export type ClusterName = keyof typeof CLUSTERS;
export const CLUSTER_NAMES = Object.keys(CLUSTERS) as readonly ClusterName[];
export const DEFAULT_CLUSTER: ClusterName = 'failover';

/**
 * A new cluster, once per reference. An unknown name is a configuration mistake reported as
 * an OptionError naming it and the known names; so are out-of-range options.
 */
export function createCluster(name: string, options: ClusterOptions): Cluster {
  if (!Object.hasOwn(CLUSTERS, name)) {
    throw new OptionError('cluster', name, { message: `unknown cluster "${name}"; expected one of ${CLUSTER_NAMES.join(', ')}` });
  }
  return new CLUSTERS[name as ClusterName](options);
}
