import type { RpcProxy } from '../contract/contract-types.js';
import type { ServiceReference } from './reference.js';

type ProxyMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * The object `refer()` returns: a plain frozen object with one function per contract method,
 * built once (no ES Proxy, no lookup per call).
 */
export function buildProxy<T>(ref: ServiceReference): RpcProxy<T> {
  const proxy: Record<string, ProxyMethod> = {};
  for (const plan of ref.plans.values()) {
    proxy[plan.name] = function rpcMethod(...args: unknown[]): Promise<unknown> {
      return ref.invoke(plan, args);
    };
  }
  return Object.freeze(proxy) as unknown as RpcProxy<T>;
}
