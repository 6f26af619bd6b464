export { RpcError, RPC_ERROR_CODES, type RpcErrorCode } from './rpc-error.js';
export type { Invocation } from './invocation.js';
export type { Invoker } from './invoker.js';
