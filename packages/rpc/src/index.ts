export { RpcError, RPC_ERROR_CODES, type RpcErrorCode } from './rpc-error.js';
export type { Invocation } from './invocation.js';
export type { Invoker } from './invoker.js';
// Load balancing and clusters (issue 5, items 4 and 5): strategies from tables, made once per reference.
export { createLoadBalance, LOAD_BALANCE_NAMES, DEFAULT_LOAD_BALANCE, type LoadBalanceName } from './loadbalance/load-balance-table.js';
export type { LoadBalance, LoadBalanceOptions, InvokerExclusion, TimestampedInvoker } from './loadbalance/load-balance.js';
export { InvokerStats, type InvokerStatsOptions } from './loadbalance/invoker-stats.js';
export { seededRandom, type RandomSource } from './loadbalance/random-source.js';
export { createCluster, CLUSTER_NAMES, DEFAULT_CLUSTER, type ClusterName } from './cluster/cluster-table.js';
export type { Cluster, ClusterOptions, ClusterLogger } from './cluster/cluster.js';
export type { CircuitBreakerOptions } from './cluster/circuit-breakers.js';
export type { CircuitState } from './cluster/circuit-breaker.js';
