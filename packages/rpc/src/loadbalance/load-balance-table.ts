import { OptionError } from '@paddock/edges';
import { ConsistentHashLoadBalance } from './consistent-hash.js';
import type { LoadBalance, LoadBalanceOptions } from './load-balance.js';
import { LeastActiveLoadBalance } from './least-active.js';
import { RandomLoadBalance } from './random.js';
import { RoundRobinLoadBalance } from './round-robin.js';
import { ShortestResponseLoadBalance } from './shortest-response.js';
import { WeightedRandomLoadBalance } from './weighted-random.js';

/** The only place a balancer is chosen by name (a reference's `loadbalance` option). */
const LOAD_BALANCES = {
  random: RandomLoadBalance,
  'weighted-random': WeightedRandomLoadBalance,
  'round-robin': RoundRobinLoadBalance,
  'least-active': LeastActiveLoadBalance,
  'shortest-response': ShortestResponseLoadBalance,
  'consistent-hash': ConsistentHashLoadBalance,
} as const satisfies Record<string, new (options?: LoadBalanceOptions) => LoadBalance>;

export type LoadBalanceName = keyof typeof LOAD_BALANCES;
export const LOAD_BALANCE_NAMES = Object.keys(LOAD_BALANCES) as readonly LoadBalanceName[];
/** Dubbo's default, "random", is weighted; so is ours. */
export const DEFAULT_LOAD_BALANCE: LoadBalanceName = 'weighted-random';

/**
 * A new balancer, once per reference. An unknown name is a configuration mistake reported as
 * an OptionError naming it and the known names; so are out-of-range options.
 */
export function createLoadBalance(name: string, options: LoadBalanceOptions = {}): LoadBalance {
  if (!Object.hasOwn(LOAD_BALANCES, name)) {
    throw new OptionError('loadbalance', name, { message: `unknown load balancer "${name}"; expected one of ${LOAD_BALANCE_NAMES.join(', ')}` });
  }
  return new LOAD_BALANCES[name as LoadBalanceName](options);
}
