export { RpcError, RPC_ERROR_CODES, type RpcErrorCode } from './call/rpc-error.js';
export type { Invocation } from './call/invocation.js';
export type { Invoker } from './call/invoker.js';
// Contracts, providers, consumers and the tcp transport.
export { Service, Method, serviceDefinition, type ServiceDecorator, type MethodDecorator } from './contract/service.js';
export type { ServiceOptions, MethodOptions, MethodSpec, ServiceDefinition, MethodDefinition } from './contract/service-definition.js';
export type { Contract, RpcProxy } from './contract/contract-types.js';
export { RpcServer, type ExportHandle, type ShutdownOptions } from './provider/rpc-server.js';
export { SERVER_TRANSPORTS, type RpcServerOptions, type ServerTransportName } from './provider/server-options.js';
export type { ExportOptions } from './provider/exported-service.js';
export { RpcContext } from './provider/rpc-context.js';
export { RpcClient } from './consumer/rpc-client.js';
export type { RpcClientOptions, ReferOptions } from './consumer/client-options.js';
export { callWith, type CallOptions, type CallOutcome } from './consumer/call-scope.js';
export type { Directory, DirectoryEvents } from './consumer/directory.js';
export { RegistryDirectory, MAX_PROVIDERS } from './consumer/registry-directory.js';
export { TRACE_ID, type Attachments } from './transport/attachments.js';
export type { TcpOptions } from './transport/tcp/tcp-options.js';
// The http transport: its headers and the HTTP status of each error code, for callers without a client (curl).
export { HEADER as HTTP_HEADERS, STATUS_OF_CODE as HTTP_STATUS_OF_CODE } from './transport/http/http-protocol.js';
// Time, logging and randomness come from @paddock/edges, under the names this package always used.
export type { Clock as RpcClock, Logger as RpcLogger, LogFn, TimerHandle } from '@paddock/edges';
// Load balancing and clusters: strategies from tables, made once per reference.
export { createLoadBalance, LOAD_BALANCE_NAMES, DEFAULT_LOAD_BALANCE, type LoadBalanceName } from './loadbalance/load-balance-table.js';
export type { LoadBalance, LoadBalanceOptions, InvokerExclusion, TimestampedInvoker } from './loadbalance/load-balance.js';
export { InvokerStats, type InvokerStatsOptions } from './loadbalance/invoker-stats.js';
export { seededRandom, type RandomSource } from '@paddock/edges';
export { createCluster, CLUSTER_NAMES, DEFAULT_CLUSTER, type ClusterName } from './cluster/cluster-table.js';
export type { Cluster, ClusterOptions, ClusterLogger } from './cluster/cluster.js';
export type { CircuitBreakerOptions } from './cluster/circuit-breakers.js';
export type { CircuitState } from './cluster/circuit-breaker.js';
